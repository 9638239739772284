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
