import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as HLS from 'hls-parser';
import { Parser as M3u8Parser } from 'm3u8-parser';
import {
  startBroadcastServer,
  putSpeakerOnAir,
  type BroadcastTestServer,
  type SpeakerOnAir,
} from './harness/broadcast-server';
import { downloadSegment, ffprobe, parsePlaylist, waitFor, type Playlist } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';

const run = promisify(execFile);

/** What index.m3u8 must declare per video rendition (HLS_LADDER's default). */
const LADDER = [
  { uri: 'v720.m3u8', width: 1280, height: 720 },
  { uri: 'v480.m3u8', width: 854, height: 480 },
  { uri: 'v360.m3u8', width: 640, height: 360 },
];
const MEDIA_PLAYLISTS = [...LADDER.map((r) => r.uri), 'audio.m3u8'];
/** Segments compared across renditions. */
const COMPARED = 6;

describe('the broadcast ladder: a multivariant playlist, three video renditions and audio only (continuous engine)', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  let speaker: SpeakerOnAir | undefined;
  let slug: string;
  let base: string;

  beforeAll(async () => {
    broadcast = await startBroadcastServer();
    room = await openPressConference(broadcast.server, { title: 'Budget 2026: the ladder' });
    slug = room.event.slug;
    base = `${broadcast.server.url}/hls/${slug}`;
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    speaker = await putSpeakerOnAir(broadcast.server, room.event.id);
  });

  afterAll(async () => {
    room?.close();
    await speaker?.source.close();
    await broadcast?.close();
  });

  const text = async (name: string) => {
    const response = await fetch(`${base}/${name}`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const media = async (name: string) => parsePlaylist(await text(name));
  /** Every media playlist once each lists `count` segments of the program (the slate's first ones skipped). */
  const playlistsWith = (count: number) =>
    waitFor(async () => {
      const playlists = await Promise.all(MEDIA_PLAYLISTS.map(media));
      return playlists.every((p) => p.segments.length >= count) ? playlists : undefined;
    }, 40_000);

  it('index.m3u8 is a multivariant playlist both parsers read without a warning', async () => {
    const response = await fetch(`${base}/index.m3u8`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
    const manifest = await response.text();

    const warnings: unknown[] = [];
    const parser = new M3u8Parser();
    parser.on('warn', (warning: unknown) => warnings.push(warning));
    parser.push(manifest);
    parser.end();
    expect(warnings).toEqual([]);
    const playlists = parser.manifest.playlists ?? [];
    expect(playlists.map((p) => p.uri)).toEqual(MEDIA_PLAYLISTS);
    for (const [index, rendition] of LADDER.entries()) {
      const attributes = playlists[index]!.attributes as Record<string, unknown>;
      expect(attributes).toMatchObject({
        RESOLUTION: { width: rendition.width, height: rendition.height },
        CODECS: 'avc1.64001f,mp4a.40.2',
        'FRAME-RATE': 30,
      });
      expect(Number(attributes.BANDWIDTH)).toBeGreaterThan(Number(attributes['AVERAGE-BANDWIDTH']));
    }
    expect(playlists[3]!.attributes).toMatchObject({ CODECS: 'mp4a.40.2' });

    HLS.setOptions({ strictMode: true });
    const errors = jest.spyOn(console, 'error');
    const warns = jest.spyOn(console, 'warn');
    try {
      const parsed = HLS.parse(manifest) as HLS.types.MasterPlaylist;
      expect(parsed.isMasterPlaylist).toBe(true);
      expect(parsed.variants.map((v) => v.uri)).toEqual(MEDIA_PLAYLISTS);
      const [v720, v480, v360, audio] = parsed.variants;
      expect(v720).toMatchObject({ resolution: { width: 1280, height: 720 }, frameRate: 30 });
      expect(v480!.bandwidth).toBeLessThan(v720!.bandwidth);
      expect(v360!.bandwidth).toBeLessThan(v480!.bandwidth);
      expect(audio).toMatchObject({ codecs: 'mp4a.40.2' });
      expect(audio!.bandwidth).toBeLessThan(100_000);
      expect(errors).not.toHaveBeenCalled();
      expect(warns).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      warns.mockRestore();
      HLS.setOptions({ strictMode: false });
    }
  });

  it('each rendition has its declared size and codecs (ffprobe), at no more than its declared peak rate', async () => {
    const playlists = await playlistsWith(COMPARED + 2);
    const declared = HLS.parse(await text('index.m3u8')) as HLS.types.MasterPlaylist;
    const peaks: string[] = [];
    for (const [index, uri] of MEDIA_PLAYLISTS.entries()) {
      const playlist = playlists[index]!;
      const segment = playlist.segments[playlist.segments.length - 2]!;
      const file = await downloadSegment(base, segment, join(broadcast!.work, `${uri}-${segment.uri}.mp4`));
      const probe = await ffprobe(file);
      expect(probe.audio).toMatchObject({ codec_name: 'aac', profile: 'LC', sample_rate: '48000', channels: 2 });
      const rendition = LADDER[index];
      if (rendition) {
        expect(probe.video).toMatchObject({
          codec_name: 'h264',
          profile: 'High',
          level: 31,
          width: rendition.width,
          height: rendition.height,
          r_frame_rate: '30/1',
        });
      } else {
        expect(probe.video).toBeUndefined();
        expect(Number(probe.audio!.bit_rate ?? 64_000)).toBeLessThanOrEqual(72_000);
      }
      // The peak: the largest of the last segments, in bits per second.
      let peak = 0;
      for (const s of playlist.segments.slice(-COMPARED)) {
        const bytes = (await (await fetch(`${base}/${s.uri}`)).arrayBuffer()).byteLength;
        peak = Math.max(peak, (bytes * 8) / s.duration);
      }
      peaks.push(
        `${uri} ${Math.round(peak / 1000)} of ${Math.round(declared.variants[index]!.bandwidth / 1000)} kbit/s`,
      );
      expect(peak).toBeLessThanOrEqual(declared.variants[index]!.bandwidth);
    }
    console.log(`peak segment rates: ${peaks.join('; ')}`);
  });

  it('segment boundaries align across renditions: same segments, durations and program date-times', async () => {
    const playlists = await playlistsWith(COMPARED + 2);
    const video = playlists.slice(0, LADDER.length);
    const audio = playlists[LADDER.length]!;
    const counted = Math.min(...playlists.map((p) => p.segments.length));
    const boundaries = (playlist: Playlist) =>
      playlist.segments.slice(0, counted).map((s) => ({ duration: s.duration, at: s.programDateTime }));
    for (const other of video.slice(1)) expect(boundaries(other)).toEqual(boundaries(video[0]!));
    // AAC frames are 21.3 ms: the audio-only rendition cuts on the first frame at or after each boundary.
    boundaries(audio).forEach((segment, index) => {
      const reference = boundaries(video[0]!)[index]!;
      expect(Math.abs(segment.at - reference.at)).toBeLessThanOrEqual(25);
      expect(Math.abs(segment.duration - reference.duration)).toBeLessThanOrEqual(0.025);
    });
    // And the keyframes: every video rendition's segment starts with one, the same frame everywhere.
    const segment = video[0]!.segments[counted - 1]!;
    const starts = await Promise.all(
      video.map(async (playlist, index) => {
        const s = playlist.segments[counted - 1]!;
        const file = await downloadSegment(base, s, join(broadcast!.work, `align-${index}-${s.uri}.mp4`));
        const { stdout } = await run('ffprobe', [
          ...['-v', 'error', '-select_streams', 'v:0', '-show_frames', '-read_intervals', '%+#1'],
          ...['-show_entries', 'frame=key_frame,pts_time', '-of', 'json', file],
        ]);
        const frames = (JSON.parse(stdout) as { frames: Array<{ key_frame: number; pts_time: string }> }).frames;
        return frames[0]!;
      }),
    );
    expect(starts.every((frame) => frame.key_frame === 1)).toBe(true);
    expect(new Set(starts.map((frame) => frame.pts_time)).size).toBe(1);
    expect(segment.duration).toBeGreaterThan(0);
  });

  it('serves only the names the broadcast writes: no run playlist of FFmpeg, no unknown rendition', async () => {
    const playlist = await media('v720.m3u8');
    const run = playlist.segments[0]!.run;
    for (const name of [`${run}-v720.m3u8`, 'v1080.m3u8', `${run}-v999-init.mp4`]) {
      expect((await fetch(`${base}/${name}`)).status).toBe(404);
    }
  });

  it('program.json follows who is on air: a speaker who leaves is gone from it within seconds', async () => {
    const onAir = async () => {
      const response = await fetch(`${base}/program.json`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { speakers: string[] }).speakers;
    };
    await waitFor(async () => ((await onAir()).includes('Minister Ruiz') ? true : undefined), 20_000);
    speaker!.studio.setTracks([]);
    await waitFor(async () => ((await onAir()).length === 0 ? true : undefined), 10_000);
    speaker!.studio.setTracks([
      speaker!.source.track('video', 'Minister Ruiz'),
      speaker!.source.track('audio', 'Minister Ruiz'),
    ]);
  });

  it('after the end every media playlist is closed, and the recording is made from the top rendition', async () => {
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);
    const ended = await waitFor(async () => {
      const playlists = await Promise.all(MEDIA_PLAYLISTS.map(media));
      return playlists.every((p) => p.ended) ? playlists : undefined;
    }, 30_000);
    expect(new Set(ended.slice(0, LADDER.length).map((p) => p.segments.length)).size).toBe(1);
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${broadcast!.server.url}/api/events/${slug}/recording.mp4`, {
          headers: { authorization: `Bearer ${room.moderatorApi.bearer}` },
        });
        return response.status === 200 ? response : undefined;
      },
      90_000,
      500,
    );
    const file = join(broadcast!.work, 'recording.mp4');
    await writeFile(file, Buffer.from(await ready.arrayBuffer()));
    const probe = await ffprobe(file);
    expect(probe.video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(probe.audio).toMatchObject({ codec_name: 'aac' });
  });
});
