import { buildPrivacyNotice, retentionPhrase, type PrivacyNoticeEvent, type ServerInfo } from './privacy';

const EVENT: PrivacyNoticeEvent = {
  slug: 'budget',
  title: 'Budget',
  status: 'scheduled',
  chatMode: 'post',
  questionsEnabled: true,
  passwordRequired: false,
  retentionHours: 0,
  purgeAt: null,
};
const SERVER: ServerInfo = {
  operator: { name: 'Press Office', contact: 'press@example.org', privacyUrl: null },
  privacy: { requestLogs: true, sharedRateLimits: false, turnRelay: false, accessTokenHours: 48 },
};
const section = (server: ServerInfo, id: string, event = EVENT) => {
  const found = buildPrivacyNotice(event, server).sections.find((s) => s.id === id)!;
  return [...found.paragraphs, ...found.items].join('\n');
};

describe('buildPrivacyNotice', () => {
  it('says what the request log holds, or that there is none', () => {
    expect(section(SERVER, 'logs')).toContain('your network (IP) address');
    expect(section(SERVER, 'logs')).toContain('up to the operator (Press Office)');
    const quiet = { ...SERVER, privacy: { ...SERVER.privacy, requestLogs: false } };
    expect(section(quiet, 'logs')).toContain('The server does not log requests.');
    expect(section(quiet, 'logs')).not.toContain('IP');
  });

  it('mentions the relay and shared counters only when the server has them', () => {
    expect(section(SERVER, 'third-parties')).not.toContain('relay');
    const relayed = { ...SERVER, privacy: { ...SERVER.privacy, turnRelay: true, sharedRateLimits: true } };
    expect(section(relayed, 'third-parties')).toContain("the operator's relay server");
    expect(section(relayed, 'logs')).toContain('shared memory store');
  });

  it('words the retention in hours, and says when the purge is due once the event ended', () => {
    expect(retentionPhrase(0)).toBe('deleted when the event ends');
    expect(retentionPhrase(1)).toBe('deleted 1 hour after the event ends');
    expect(retentionPhrase(72)).toBe('deleted 72 hours after the event ends');
    const ended = { ...EVENT, status: 'ended' as const, retentionHours: 2, purgeAt: '2026-12-05T14:30:00.000Z' };
    expect(section(SERVER, 'retention', ended)).toContain(
      'deleted 2 hours after the event ends (due 2026-12-05 14:30 UTC)',
    );
  });

  it('says when the data of the event is already gone', () => {
    const purged = { ...EVENT, status: 'purged' as const };
    expect(section(SERVER, 'retention', purged)).toContain('its data has been deleted');
    expect(section(SERVER, 'retention')).not.toContain('has been deleted');
  });
});
