import { serverStage } from './harness/stage';

describe('HLS of a password-protected event: only for browsers that joined it', () => {
  const suite = serverStage();

  /** Joins as a viewer and returns the cookie the browser would keep. */
  async function joinCookie(slug: string, password?: string): Promise<string> {
    const response = await fetch(`${suite.server.url}/api/events/${slug}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(password ? { password } : {}),
    });
    expect(response.status).toBe(200);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(
      new RegExp(`^pressroom_hls_${slug}=.+; Path=/hls/${slug}/; Expires=.+; HttpOnly; SameSite=Strict$`),
    );
    return cookie!.split(';')[0]!;
  }

  const playlist = (slug: string, cookie?: string) =>
    fetch(`${suite.server.url}/hls/${slug}/index.m3u8`, { headers: cookie ? { cookie } : {} });

  it('refuses the stream without the pass, serves it privately with it', async () => {
    const event = await suite.moderator.createEvent({ password: 'press-only' });
    const refused = await playlist(event.slug);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'password_required' });

    const cookie = await joinCookie(event.slug, 'press-only');
    const served = await playlist(event.slug, cookie);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toMatch(/^private, /);
    expect(await served.text()).toContain('#EXTM3U');

    const other = await suite.moderator.createEvent({ password: 'another' });
    const wrongEvent = await playlist(other.slug, cookie.replace(event.slug, other.slug));
    expect(wrongEvent.status).toBe(401);
    const forged = await playlist(event.slug, `pressroom_hls_${event.slug}=not-a-pass`);
    expect(forged.status).toBe(401);
  });

  it('serves an event without a password to anyone, for shared caches', async () => {
    const event = await suite.moderator.createEvent();
    const served = await playlist(event.slug);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toMatch(/^public, /);
  });
});
