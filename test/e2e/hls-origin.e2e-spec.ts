import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Api } from './harness/api';
import { parsePlaylist, waitFor, type Segment } from './harness/media';
import { startServer, type TestServer } from './harness/server';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request as a player or a cache sends it, bytes untouched (fetch would decode them). */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `/hls/` answered by its lean handler (apps/api/src/broadcast/hls-origin.ts), ahead of Express: what a
 * player and a cache see of it (the access rules have their own tests: hls-access, hls-embedding, stream-pass).
 */
describe('the HLS origin: playlists from memory, compressed once, revalidated; segments streamed', () => {
  let server: TestServer;
  let slug: string;
  let segment: Segment;
  const url = (file: string) => `${server.url}/hls/${slug}/${file}`;

  beforeAll(async () => {
    server = await startServer();
    const moderator = await Api.asModerator(server.url);
    slug = (await moderator.createEvent({ title: 'Lean origin' })).slug;
    segment = await waitFor(async () => {
      const answer = await raw(url('index.m3u8'));
      const listed = answer.status === 200 ? parsePlaylist(answer.body.toString()).segments : [];
      return listed.length >= 3 ? listed[0] : undefined;
    }, 30_000);
  }, 40_000);
  afterAll(() => server.close());

  it('a playlist: the same text in every encoding, an ETag, 304 when unchanged', async () => {
    const plain = await raw(url('index.m3u8'));
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(plain.headers['last-modified']).toBeDefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    const [br, gzip] = await Promise.all([
      raw(url('index.m3u8'), { 'accept-encoding': 'gzip, br' }),
      raw(url('index.m3u8'), { 'accept-encoding': 'gzip' }),
    ]);
    // The same version (one segment later is another ETag: compare only when unchanged).
    if (br.headers.etag === etag) expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    if (gzip.headers.etag === etag) expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect([br.headers['content-encoding'], gzip.headers['content-encoding']]).toEqual(['br', 'gzip']);

    const again = await raw(url('index.m3u8'), { 'if-none-match': String(br.headers.etag) });
    expect([304, 200]).toContain(again.status); // 200: a new segment came meanwhile
    if (again.status === 304) expect(again.body.length).toBe(0);
    // A version that is no longer: the whole playlist.
    expect((await raw(url('index.m3u8'), { 'if-none-match': 'W/"old"' })).status).toBe(200);
  });

  it('a segment: its type, cached for good, ranges, HEAD, 304', async () => {
    const whole = await raw(url(segment.uri));
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({
      'content-type': 'video/iso.segment',
      'cache-control': 'public, max-age=31536000, immutable',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    });
    expect(Number(whole.headers['content-length'])).toBe(whole.body.length);
    expect(whole.body.length).toBeGreaterThan(100);

    const part = await raw(url(segment.uri), { range: 'bytes=10-109' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(10, 110))).toBe(true);
    expect((await raw(url(segment.uri), { range: `bytes=${whole.body.length}-` })).status).toBe(416);

    const head = await raw(url(segment.uri), {}, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([
      200,
      0,
      String(whole.body.length),
    ]);
    const init = await raw(url(segment.init));
    expect([init.status, init.headers['content-type']]).toEqual([200, 'video/mp4']);
    expect((await raw(url(segment.uri), { 'if-none-match': String(whole.headers.etag) })).status).toBe(304);
  });

  it('names it does not serve, bad paths and other methods: clear errors, nothing outside the event', async () => {
    for (const file of ['r1-99999.m4s', '..%2F..%2Fdb.sqlite', 'work%2Ffull-index.m3u8', 'r1.m3u8']) {
      const answer = await raw(url(file));
      expect({ file, status: answer.status }).toEqual({ file, status: 404 });
      expect(JSON.parse(answer.body.toString())).toMatchObject({ statusCode: 404, error: 'not_found' });
    }
    const malformed = await raw(url('%E0%A4%A'));
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body.toString())).toMatchObject({ error: 'bad_request', message: 'Malformed path' });
    const unknown = await raw(`${server.url}/hls/no-such-event/index.m3u8`);
    expect(unknown.status).toBe(404);
    // Not a GET: Express answers as before (no such route).
    expect((await raw(url('index.m3u8'), {}, 'POST')).status).toBe(404);
  });

  it('counts its answers for /metrics instead of logging each one', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = (kind: string, status: number) =>
      Number(
        new RegExp(`^pressroom_hls_responses_total\\{kind="${kind}",status="${status}"\\} (\\d+)$`, 'm').exec(
          metrics,
        )?.[1] ?? 0,
      );
    expect(count('playlist', 200)).toBeGreaterThan(0);
    expect(count('segment', 206)).toBeGreaterThan(0);
    expect(count('segment', 404)).toBeGreaterThan(0);
  });
});
