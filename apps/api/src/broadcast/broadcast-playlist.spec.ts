import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastPlaylist, DELETE_AFTER_SECONDS, readRecordingPlaylist } from './broadcast-playlist';
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

  describe('with a live window', () => {
    const WINDOW = 6;
    /** One-second segments of run 1 whose files exist, made `secondsAgo` before now. */
    const made = async (from: number, count: number, secondsAgo: (n: number) => number) => {
      const segments = [];
      for (let n = from; n < from + count; n++) {
        const uri = `r1-${String(n).padStart(5, '0')}.m4s`;
        await writeFile(join(dir, uri), 'segment');
        segments.push({ uri, duration: 1, programDateTime: new Date(Date.now() - secondsAgo(n) * 1000).toISOString() });
      }
      return segments;
    };
    const segmentFiles = async () => (await readdir(dir)).filter((name) => name.endsWith('.m4s')).sort();
    const names = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `r1-${String(from + i).padStart(5, '0')}.m4s`);

    beforeEach(async () => {
      await mkdir(join(dir, 'work'));
      await writeFile(join(dir, 'r1-init.mp4'), 'init');
    });

    it('before the start: lists the window, deletes what left it a while ago; from the start: keeps the recording', async () => {
      const playlist = await BroadcastPlaylist.open(dir, false, logger, { windowSeconds: WINDOW });
      playlist.addRun(1);
      // 40 segments of the "starting soon" slate, the latest made now.
      for (const segment of await made(0, 40, (n) => 200 - n)) playlist.addSegments([segment]);
      await playlist.flush();
      let listed = await onDisk(dir);
      expect(listed.runs[0]!.segments.map((s) => s.uri)).toEqual(names(34, 40));
      expect(listed.mediaSequence).toBe(34);
      const kept = WINDOW + DELETE_AFTER_SECONDS;
      expect(await segmentFiles()).toEqual(names(40 - kept, 40));

      // Live from now: the next 30 segments are the recording's.
      playlist.recordingStartsAt(Date.now() - 100_000);
      for (const segment of await made(40, 30, (n) => 70 - n)) playlist.addSegments([segment]);
      await playlist.flush();
      listed = await onDisk(dir);
      expect(listed.runs[0]!.segments.map((s) => s.uri)).toEqual(names(64, 70));
      const files = await segmentFiles();
      expect(files).toEqual(names(40, 70));
      const full = parseMediaPlaylist((await readRecordingPlaylist(dir))!);
      expect(full.runs[0]!.segments.map((s) => s.uri)).toEqual(files);

      // The end: every segment kept, in the playlist itself.
      await playlist.end();
      const vod = await readFile(join(dir, 'index.m3u8'), 'utf8');
      expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(parseMediaPlaylist(vod).runs[0]!.segments.map((s) => s.uri)).toEqual(files);
    });

    it("a lower rendition's playlist keeps no segment for the recording", async () => {
      const playlist = await BroadcastPlaylist.open(dir, false, logger, {
        windowSeconds: WINDOW,
        keepForRecording: false,
        name: 'low.m3u8',
      });
      playlist.recordingStartsAt(0);
      playlist.addRun(1);
      for (const segment of await made(0, 40, (n) => 40 - n)) playlist.addSegments([segment]);
      await playlist.flush();
      expect(await segmentFiles()).toEqual(names(40 - WINDOW - DELETE_AFTER_SECONDS, 40));
      expect(await readdir(join(dir, 'work'))).toEqual([]);
    });

    it('a restart resumes from the full list: same sequence numbers, nothing lost', async () => {
      const first = await BroadcastPlaylist.open(dir, false, logger, { windowSeconds: WINDOW });
      first.addRun(1);
      for (const segment of await made(0, 30, (n) => 300 - n)) first.addSegments([segment]);
      first.recordingStartsAt(0);
      for (const segment of await made(30, 10, (n) => 300 - n)) first.addSegments([segment]);
      await first.flush();
      const window = await readFile(join(dir, 'index.m3u8'), 'utf8');
      const full = await readRecordingPlaylist(dir);
      void window;

      const again = await BroadcastPlaylist.open(dir, false, logger, { windowSeconds: WINDOW });
      again.recordingStartsAt(0);
      again.addRun(2);
      again.addSegments([{ uri: 'r2-00000.m4s', duration: 1 }]);
      await again.flush();
      const text = await readFile(join(dir, 'index.m3u8'), 'utf8');
      expect(text).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="r2-init.mp4"');
      expect(Number(/MEDIA-SEQUENCE:(\d+)/.exec(text)![1])).toBe(Number(/MEDIA-SEQUENCE:(\d+)/.exec(window)![1]) + 1);
      expect((await readRecordingPlaylist(dir))!.startsWith(full!)).toBe(true);
      await BroadcastPlaylist.closeOnDisk(dir);
      const closed = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
      expect(closed.ended).toBe(true);
      expect(closed.runs.flatMap((run) => run.segments)).toHaveLength(
        parseMediaPlaylist(full!).runs[0]!.segments.length + 1,
      );
    });
  });
});
