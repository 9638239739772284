import { join } from 'node:path';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import {
  decodeFrame,
  downloadSegment,
  ffprobe,
  HEIGHT,
  meanDifference,
  waitFor,
  WIDTH,
  type Playlist,
} from './harness/media';
import { mediaPlaylistOf } from './harness/hls';
import { openPressConference, type PressConference } from './harness/press-conference';
import type { RtpSource } from './harness/rtp-source';
import { startBroadcastServer, putSpeakerOnAir, type BroadcastTestServer } from './harness/broadcast-server';
import type { TestServer } from './harness/server';

/**
 * A speaker whose video sends frames only now and then, as a screen share or a canvas does (a frame when
 * the content changes), and whose microphone sends nothing, as from a page whose AudioContext never
 * started: the broadcast still goes live at a steady 30 fps and keeps the last picture between frames.
 */
describe('broadcast: a speaker video with a variable frame rate (FFmpeg, real mediasoup, real server)', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let room: PressConference;
  let source: RtpSource;
  let live: Playlist;
  /** When the speaker went on air: the segments from then on are theirs (the same encode showed the slate before). */
  let onAirAt: number;

  beforeAll(async () => {
    // 1 s segments (the default is 0.5 s since issue 10): the durations below are checked against 1 s.
    broadcast = await startBroadcastServer({ HLS_SEGMENT_SECONDS: '1' });
    server = broadcast.server;
    room = await openPressConference(server, { title: 'Screen share with still slides' });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    onAirAt = Date.now();
    // One second of frames every four seconds.
    ({ source } = await putSpeakerOnAir(server, room.event.id, {
      bursts: { onSeconds: 1, offSeconds: 3 },
      audio: false,
    }));
  });

  afterAll(async () => {
    room?.close();
    await source?.close();
    await broadcast?.close();
  });

  const hlsBase = () => `${server.url}/hls/${room.event.slug}`;
  const download = (uri: string) => {
    const segment = live.segments.find((s) => s.uri === uri)!;
    return downloadSegment(hlsBase(), segment, join(broadcast.work, `${uri}.mp4`));
  };

  it('goes live: H.264 1280x720 30 fps and AAC in 1 s segments, steadily through the pauses', async () => {
    const broadcasts = server.app.get(BroadcastService);
    live = await waitFor(async () => {
      const playlist = await mediaPlaylistOf(hlsBase());
      const speakers = playlist.segments.filter((s) => s.programDateTime >= onAirAt);
      // Six seconds of the speaker: at least one whole burst and pause.
      return broadcasts.status(room.event.id)?.showing === 'speakers' && speakers.length >= 6 ? playlist : undefined;
    }, 25_000);
    const segments = live.segments.filter((s) => s.programDateTime >= onAirAt);
    for (const segment of segments.slice(0, -1)) expect(segment.duration).toBeCloseTo(1, 1);

    const probe = await ffprobe(await download(segments[2]!.uri));
    expect(probe.video).toMatchObject({ codec_name: 'h264', width: WIDTH, height: HEIGHT, r_frame_rate: '30/1' });
    // The microphone that sends nothing is left out: silence stands in for it.
    expect(probe.audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    const length = Number(probe.format.duration) - Number(probe.format.start_time);
    expect(length).toBeGreaterThan(0.9);
    expect(length).toBeLessThan(1.15);
  });

  it("shows the speaker's last picture while the video sends no frame", async () => {
    const background = Buffer.alloc(WIDTH * HEIGHT * 3);
    for (let i = 0; i < background.length; i += 3) background.set([0x14, 0x18, 0x1f], i);
    const showsPicture = async (uri: string) => {
      const picture = await decodeFrame(await download(uri));
      return meanDifference(picture, background, { x: 0, y: 0, width: WIDTH, height: 480 }) > 30;
    };
    // Until its first keyframe the tile is empty (the change shows without it after a while); from then
    // on, four consecutive seconds (at least two of them in a pause) all show the picture.
    const seen: Array<{ segment: string; showsPicture: boolean }> = [];
    await waitFor(async () => {
      live = await mediaPlaylistOf(hlsBase());
      for (const segment of live.segments.filter((s) => s.programDateTime >= onAirAt).slice(seen.length)) {
        seen.push({ segment: segment.uri, showsPicture: await showsPicture(segment.uri) });
      }
      const first = seen.findIndex((s) => s.showsPicture);
      return first >= 0 && seen.length >= first + 5 ? true : undefined;
    }, 40_000);
    const first = seen.findIndex((s) => s.showsPicture);
    expect(seen.slice(first, first + 5)).toEqual(
      seen.slice(first, first + 5).map((s) => ({ ...s, showsPicture: true })),
    );
  }, 60_000);
});
