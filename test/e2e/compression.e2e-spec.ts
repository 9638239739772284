import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDir } from '../../scripts/precompress';
import { Api } from './harness/api';
import { parsePlaylist, waitFor } from './harness/media';
import { startServer, type TestServer } from './harness/server';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire, not decoded. */
  raw: Buffer;
}

/** A GET that shows the wire: fetch would decode the body by itself and ask for compression unasked. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded({ headers, raw }: RawAnswer): string {
  switch (headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(raw).toString('utf8');
    case 'gzip':
      return gunzipSync(raw).toString('utf8');
    case undefined:
      return raw.toString('utf8');
    default:
      throw new Error(`unexpected Content-Encoding ${headers['content-encoding']}`);
  }
}

const varies = (answer: RawAnswer) => String(answer.headers['vary'] ?? '').toLowerCase();

/** Text long enough to be worth compressing, as a build's is. */
const filler = (what: string) => `/* ${what} */\n` + `console.log(${JSON.stringify(what)});\n`.repeat(200);

/**
 * A stand-in for `npm run build:web`'s output, precompressed by the same code the builds run, plus a
 * script without variants (a build from before precompression) that must be compressed on the fly.
 */
function fakeBuilds(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-web-'));
  for (const app of ['viewer', 'console', 'studio']) {
    const assets = app === 'viewer' ? join(dir, app, 'assets') : join(dir, app);
    mkdirSync(assets, { recursive: true });
    writeFileSync(
      join(dir, app, 'index.html'),
      `<!doctype html><title>${app} page</title>\n${'<p>…</p>\n'.repeat(100)}`,
    );
    writeFileSync(join(assets, 'main-AB12CD34.js'), filler(app));
    writeFileSync(join(assets, 'main-AB12CD34.css'), `body { color: black; }\n`.repeat(100));
    precompressDir(join(dir, app));
    writeFileSync(join(assets, 'late-EF56GH78.js'), filler(`${app} late`));
  }
  return dir;
}

describe('compression: text goes out compressed when the client accepts it, media never', () => {
  let server: TestServer;
  let webDir: string;
  let moderator: Api;

  beforeAll(async () => {
    webDir = fakeBuilds();
    server = await startServer({ WEB_DIR: webDir });
    moderator = await Api.asModerator(server.url);
  });
  afterAll(async () => {
    await server.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  describe.each([
    ['the event page', '/demo-briefing', 'viewer page'],
    ['the console page', '/console/events', 'console page'],
    ["the viewer's script", '/assets/main-AB12CD34.js', 'console.log("viewer")'],
    ["the viewer's style sheet", '/assets/main-AB12CD34.css', 'color: black'],
    ["the studio's script", '/studio/main-AB12CD34.js', 'console.log("studio")'],
    ['a script the build did not precompress', '/assets/late-EF56GH78.js', 'console.log("viewer late")'],
  ])('%s (%s)', (_what, path, content) => {
    it.each([
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
    ])('Accept-Encoding: %s → Content-Encoding: %s', async (accept, encoding) => {
      const answer = await rawGet(server.url + path, { 'accept-encoding': accept });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(varies(answer)).toContain('accept-encoding');
      expect(decoded(answer)).toContain(content);
      expect(answer.raw.length).toBeLessThan(decoded(answer).length / 2);
    });

    it('plain without Accept-Encoding (or with identity only)', async () => {
      for (const headers of [{}, { 'accept-encoding': 'identity' }] as Array<Record<string, string>>) {
        const answer = await rawGet(server.url + path, headers);
        expect(answer.status).toBe(200);
        expect(answer.headers['content-encoding']).toBeUndefined();
        expect(varies(answer)).toContain('accept-encoding');
        expect(answer.raw.toString('utf8')).toContain(content);
      }
    });
  });

  it('precompressed files keep their type and cache lifetime', async () => {
    const script = await rawGet(`${server.url}/assets/main-AB12CD34.js`, { 'accept-encoding': 'br' });
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await rawGet(`${server.url}/demo-briefing`, { 'accept-encoding': 'br' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('a JSON answer of the API', async () => {
    for (let i = 0; i < 5; i++) await moderator.createEvent({ title: `Briefing number ${i}` });
    const auth = { authorization: `Bearer ${moderator.bearer}` };
    const compressed = await rawGet(`${server.url}/api/events`, { ...auth, 'accept-encoding': 'gzip, br' });
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(varies(compressed)).toContain('accept-encoding');
    const plain = await rawGet(`${server.url}/api/events`, auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(decoded(compressed))).toEqual(JSON.parse(plain.raw.toString('utf8')));
  });

  it("socket.io's long-polling answers as before: its own framing, readable whatever the client accepts", async () => {
    const handshake = await rawGet(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      'accept-encoding': 'br, gzip',
    });
    expect(handshake.status).toBe(200);
    expect(decoded(handshake)).toMatch(/^0\{"sid":/);
  });

  describe('HLS', () => {
    let slug: string;
    let playlistText: string;

    beforeAll(async () => {
      slug = (await moderator.createEvent({ title: 'Compressed playlists' })).slug;
      // The slate starts with the first request; wait until its playlist lists a few segments.
      playlistText = await waitFor(async () => {
        const answer = await rawGet(`${server.url}/hls/${slug}/index.m3u8`);
        const text = answer.status === 200 ? answer.raw.toString('utf8') : '';
        return parsePlaylist(text).segments.length >= 3 ? text : undefined;
      }, 20_000);
    }, 30_000);

    it('the playlist is compressed when asked, plain when not', async () => {
      const url = `${server.url}/hls/${slug}/index.m3u8`;
      const compressed = await rawGet(url, { 'accept-encoding': 'gzip' });
      expect(compressed.status).toBe(200);
      expect(compressed.headers['content-encoding']).toBe('gzip');
      expect(compressed.headers['content-type']).toMatch(/^application\/vnd\.apple\.mpegurl/);
      expect(varies(compressed)).toContain('accept-encoding');
      expect(decoded(compressed)).toMatch(/^#EXTM3U/);
      const plain = await rawGet(url);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.raw.toString('utf8')).toMatch(/^#EXTM3U/);
    });

    it('segments and init segments are never compressed', async () => {
      const [segment] = parsePlaylist(playlistText).segments;
      for (const file of [segment!.init, segment!.uri]) {
        const answer = await rawGet(`${server.url}/hls/${slug}/${file}`, { 'accept-encoding': 'br, gzip, deflate' });
        expect({ file, status: answer.status, encoding: answer.headers['content-encoding'] }).toEqual({
          file,
          status: 200,
          encoding: undefined,
        });
        expect(Number(answer.headers['content-length'])).toBe(answer.raw.length);
      }
    });
  });
});
