import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HotSegments, pickEncoding, PublishedPlaylists } from './published-playlists';

describe('pickEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.0, gzip;q=0', 'identity'],
    ['identity', 'identity'],
    ['*', 'gzip'],
    ['BR', 'br'],
  ])('%s → %s', (header, expected) => expect(pickEncoding(header)).toBe(expected));
});

describe('PublishedPlaylists', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'published-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const text = `#EXTM3U\n${'#EXTINF:1.000000,\nr1-00001.m4s\n'.repeat(20)}`;

  describe('a blocking reload (_HLS_msn)', () => {
    const live = (first: number, count: number, ended = false) =>
      [
        '#EXTM3U',
        '#EXT-X-TARGETDURATION:1',
        `#EXT-X-MEDIA-SEQUENCE:${first}`,
        ...Array.from({ length: count }, (_, i) => `#EXTINF:0.500000,\nr1-v720-${first + i}.m4s`),
        ...(ended ? ['#EXT-X-ENDLIST'] : []),
      ].join('\n');

    it('reads the last sequence number, the end and the target duration of a version', () => {
      const store = new PublishedPlaylists();
      store.publish(join(dir, 'v720.m3u8'), live(40, 3));
      const entry = store.get(join(dir, 'v720.m3u8')) as { sequence: unknown };
      expect(entry.sequence).toEqual({ last: 42, ended: false, targetSeconds: 1 });
    });

    it('answers at once when the segment is listed, when the next version lists it, or as it is after the timeout', async () => {
      const store = new PublishedPlaylists();
      const path = join(dir, 'v720.m3u8');
      store.publish(path, live(40, 3));
      expect((await store.when(path, 42, 1_000))?.sequence.last).toBe(42);

      const started = Date.now();
      const waiting = store.when(path, 43, 5_000);
      setTimeout(() => store.publish(path, live(41, 3)), 100);
      expect((await waiting)?.sequence.last).toBe(43);
      expect(Date.now() - started).toBeLessThan(1_000);

      const before = Date.now();
      expect((await store.when(path, 45, 300))?.sequence.last).toBe(43);
      expect(Date.now() - before).toBeGreaterThanOrEqual(290);

      store.publish(path, live(41, 3, true));
      expect((await store.when(path, 45, 5_000))?.sequence.ended).toBe(true);
    });
  });

  it('serves what was published without the disk, compressed once per version', async () => {
    const store = new PublishedPlaylists();
    const path = join(dir, 'index.m3u8');
    store.publish(path, text);
    const first = await store.get(path);
    const br = first!.body('br, gzip');
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(text);
    expect(first!.body('br').body).toBe(br.body); // made once
    expect(gunzipSync(first!.body('gzip').body).toString()).toBe(text);
    expect(first!.body(undefined).body.toString()).toBe(text);
    store.publish(path, `${text}#EXT-X-ENDLIST\n`);
    expect((await store.get(path))!.etag).not.toBe(first!.etag);
  });

  it('reads a playlist it did not publish from disk, and forgets a deleted directory', async () => {
    const store = new PublishedPlaylists();
    const path = join(dir, 'index.m3u8');
    expect(await store.get(path)).toBeUndefined();
    await writeFile(path, text);
    expect((await store.get(path))!.text.toString()).toBe(text);
    store.publish(path, 'short');
    store.forget(dir);
    expect((await store.get(path))!.text.toString()).toBe(text);
    // Short playlists are not worth compressing.
    store.publish(path, 'short');
    expect((await store.get(path))!.body('br').encoding).toBe('identity');
  });
});

describe('HotSegments', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'hot-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads each file once, keeps the most recently used within its budget', async () => {
    const hot = new HotSegments(250);
    const names = ['a.m4s', 'b.m4s', 'c.m4s'];
    for (const name of names) await writeFile(join(dir, name), Buffer.alloc(100, name));
    expect((await hot.get(join(dir, 'a.m4s')))!.body.length).toBe(100);
    await hot.get(join(dir, 'b.m4s'));
    await hot.get(join(dir, 'a.m4s')); // a is now the most recent
    await hot.get(join(dir, 'c.m4s')); // over budget: b goes
    expect(hot.bytes).toBe(200);
    await rm(join(dir, 'a.m4s'));
    await rm(join(dir, 'b.m4s'));
    expect((await hot.get(join(dir, 'a.m4s')))!.body[0]).toBe('a'.charCodeAt(0));
    expect(await hot.get(join(dir, 'b.m4s'))).toBeUndefined();
    hot.forget(dir);
    expect(hot.bytes).toBe(0);
    expect(await hot.get(join(dir, 'a.m4s'))).toBeUndefined();
  });
});
