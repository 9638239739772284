import { Api } from './harness/api';
import { parsePlaylist, waitFor } from './harness/media';
import { startServer, type TestServer } from './harness/server';

/**
 * Embedding: a public event's HLS may be played by another site's player (CORS: any origin), a
 * password-protected one only by Pressroom's own page (no CORS header, so browsers refuse it elsewhere).
 */
describe('HLS embedding: public streams for every origin, protected ones for this origin only', () => {
  let server: TestServer;
  let moderator: Api;
  const ELSEWHERE = { origin: 'https://newsroom.example' };

  beforeAll(async () => {
    server = await startServer();
    moderator = await Api.asModerator(server.url);
  });
  afterAll(() => server.close());

  const hls = (slug: string, file: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/hls/${slug}/${file}`, { headers: { ...ELSEWHERE, ...headers } });

  async function passCookie(slug: string, password: string): Promise<string> {
    const joined = await fetch(`${server.url}/api/events/${slug}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password }),
    });
    expect(joined.status).toBe(200);
    return joined.headers.getSetCookie()[0]!.split(';')[0]!;
  }

  const firstSegment = (slug: string, headers: Record<string, string> = {}) =>
    waitFor(async () => {
      const answer = await hls(slug, 'index.m3u8', headers);
      return answer.status === 200 ? parsePlaylist(await answer.text()).segments[0] : undefined;
    }, 20_000);

  it("a public event's playlist, init segment and segments answer Access-Control-Allow-Origin: *", async () => {
    const { slug } = await moderator.createEvent({ title: 'Open briefing' });
    const segment = await firstSegment(slug);
    for (const file of ['index.m3u8', segment.init, segment.uri]) {
      const answer = await hls(slug, file);
      expect({ file, status: answer.status, acao: answer.headers.get('access-control-allow-origin') }).toEqual({
        file,
        status: 200,
        acao: '*',
      });
    }
    // A name it does not serve is a 404 another site's player can read.
    const missing = await hls(slug, 'r1-99999.m4s');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
  }, 30_000);

  it('a password-protected event answers no Access-Control-Allow-Origin, with its pass or without', async () => {
    const { slug } = await moderator.createEvent({ title: 'Closed briefing', password: 'press-only' });
    const refused = await hls(slug, 'index.m3u8');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const cookie = await passCookie(slug, 'press-only');
    const segment = await firstSegment(slug, { cookie });
    for (const file of ['index.m3u8', segment.init, segment.uri]) {
      const answer = await hls(slug, file, { cookie });
      expect({ file, status: answer.status, acao: answer.headers.get('access-control-allow-origin') }).toEqual({
        file,
        status: 200,
        acao: null,
      });
    }
  }, 30_000);
});
