import 'reflect-metadata';
import { validateEnvironment } from '../config/environment';
import { TurnCredentials, turnPassword } from './turn-credentials';

describe('TURN credentials (coturn REST scheme)', () => {
  it('signs a username as coturn does: base64(HMAC-SHA1(secret, username))', () => {
    // Computed apart with: printf '%s' "$username" | openssl dgst -sha1 -hmac "$secret" -binary | base64
    expect(turnPassword('secret', '1700000000:speaker')).toBe('NF9Rjn87FegJl1J97UNs9b+c7d0=');
    expect(turnPassword('north-wind-7f3a9c2e', '1767225600:5b0e7f7c-2f6e-4d8a-9c41-0d2a3b6e9f10')).toBe(
      'mLf5fbVICS6fQx7buugn7jS8L3M=',
    );
  });

  it('gives a participant the URLs with a credential expiring TURN_TTL_SECONDS from now', () => {
    const environment = validateEnvironment({
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349',
      TURN_SECRET: 'north-wind-7f3a9c2e',
      TURN_TTL_SECONDS: '3600',
    });
    const now = Date.UTC(2026, 0, 1, 0, 0, 0) - 3600_000 + 250;
    expect(new TurnCredentials(environment).for('5b0e7f7c-2f6e-4d8a-9c41-0d2a3b6e9f10', now)).toEqual([
      {
        urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
        username: '1767225600:5b0e7f7c-2f6e-4d8a-9c41-0d2a3b6e9f10',
        credential: 'mLf5fbVICS6fQx7buugn7jS8L3M=',
      },
    ]);
  });

  it('gives none without TURN_URLS', () => {
    expect(new TurnCredentials(validateEnvironment({})).for('someone')).toEqual([]);
  });

  it('refuses TURN_URLS without a secret, and URLs that are not turn: or turns:', () => {
    expect(() => validateEnvironment({ TURN_URLS: 'turn:turn.example.org' })).toThrow(/TURN_SECRET is required/);
    expect(() => validateEnvironment({ TURN_URLS: 'stun:stun.example.org', TURN_SECRET: 'x'.repeat(16) })).toThrow(
      /TURN_URLS must be/,
    );
    expect(() =>
      validateEnvironment({ TURN_URLS: 'turn:ok.example.org,https://x', TURN_SECRET: 'x'.repeat(16) }),
    ).toThrow(/TURN_URLS must be/);
    expect(() =>
      validateEnvironment({ TURN_URLS: 'turn:[::1]:3478?transport=tcp', TURN_SECRET: 'x'.repeat(16) }),
    ).not.toThrow();
  });
});
