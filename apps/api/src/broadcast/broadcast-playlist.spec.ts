import { Logger } from '@nestjs/common';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastPlaylist } from './broadcast-playlist';
import { parseMediaPlaylist } from './hls-playlist';

const logger = new Logger('test');
const segment = (run: number, index: number) => ({ uri: `r${run}-0000${index}.m4s`, duration: 1 });
const onDisk = async (dir: string) => parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));

describe('BroadcastPlaylist', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'playlist-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is ready with its first segment, and writes every run after the other', async () => {
    const playlist = await BroadcastPlaylist.open(dir, false, logger);
    expect(playlist.firstFreeRun).toBe(1);
    const ready = playlist.ready(5_000);
    playlist.addRun(1);
    playlist.addSegments([segment(1, 0)]);
    playlist.addRun(2);
    playlist.addSegments([segment(2, 0), segment(2, 1)]);
    expect(await ready).toBe(true);
    await playlist.flush();
    const written = await onDisk(dir);
    expect(written.runs.map((run) => [run.id, run.segments.length])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(written.ended).toBe(false);
    await playlist.end();
    expect((await onDisk(dir)).ended).toBe(true);
  });

  it('is not ready before a segment', async () => {
    const playlist = await BroadcastPlaylist.open(dir, false, logger);
    expect(await playlist.ready(50)).toBe(false);
  });

  it("continues an earlier process's playlist after every run on disk, and reopens it unless the event ended", async () => {
    const first = await BroadcastPlaylist.open(dir, false, logger);
    first.addRun(3);
    first.addSegments([segment(3, 0)]);
    await first.end();
    await writeFile(join(dir, 'r7-init.mp4'), '');

    const reopened = await BroadcastPlaylist.open(dir, false, logger);
    expect(reopened.firstFreeRun).toBe(8);
    expect(reopened.ended).toBe(false);
    expect(await reopened.ready(0)).toBe(true);
    expect((await BroadcastPlaylist.open(dir, true, logger)).ended).toBe(true);
  });

  it('closes a playlist left open on disk, and leaves a missing one missing', async () => {
    await BroadcastPlaylist.closeOnDisk(dir);
    await expect(readFile(join(dir, 'index.m3u8'))).rejects.toThrow();
    const playlist = await BroadcastPlaylist.open(dir, false, logger);
    playlist.addRun(1);
    playlist.addSegments([segment(1, 0)]);
    await playlist.flush();
    await BroadcastPlaylist.closeOnDisk(dir);
    expect((await onDisk(dir)).ended).toBe(true);
  });
});
