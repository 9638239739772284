import type { EventDetails, QuestionView } from '@pressroom/protocol';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import {
  decodedFrames,
  decodeFrames,
  decodeFrame,
  downloadRun,
  downloadSegment,
  fetchAgain,
  ffprobe,
  h264Profiles,
  HEIGHT,
  meanDifference,
  packetTimes,
  parsePlaylist,
  waitFor,
  WIDTH,
  type Playlist,
  type Region,
  type Segment,
} from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import { isRunning } from './harness/processes';
import { layoutOf, shares } from './harness/program';
import { FakeStudioInput, RTP_SOURCE_CODECS, startRtpSource, type RtpSource } from './harness/rtp-source';
import type { TestServer } from './harness/server';
import type { StudioTrack } from '../../apps/api/src/media/studio-track';

/**
 * Issue 9's "Must show", on one event (broadcast-continuous.e2e-spec.ts covers the engine's pieces one by
 * one): slate → one speaker → a second and a third join → one leaves → a screen share starts and stops →
 * the lower third comes and goes → on air until EVENT_SECONDS → end. Then the composite of another event
 * is killed.
 *
 * The test suite plays a 75-second event; `npm run bench:continuity` (PRESSROOM_CONTINUITY_SECONDS=300)
 * the whole 5 minutes. Either way the live window (at most half the event) slides during the event.
 */
const EVENT_SECONDS = Number(process.env.PRESSROOM_CONTINUITY_SECONDS ?? 75);
/** The live playlists' window: at most half the event, so that it slides however short the event. */
const WINDOW_SECONDS = Math.min(60, Math.floor(EVENT_SECONDS / 2));
/** How late a change may show in the program (its segments' program date-time), ms. */
const CHANGE_WITHIN_MS = 1_500;
const SEGMENT_SECONDS = 0.5;
/** The synthetic speakers' keyframes, as often as a browser answers the studio's requests for one. */
const KEYFRAME_SECONDS = 0.2;
const FPS = 30;
/** Where the lower third goes (over a still grey band or the background, never a moving picture). */
const LOWER_THIRD: Region = { x: 48, y: 540, width: 300, height: 80 };

describe(`issue 9: a ${EVENT_SECONDS}-second event in one continuous encode, and a killed composite (FFmpeg, real mediasoup)`, () => {
  let broadcast: BroadcastTestServer | undefined;
  let server: TestServer;
  let work: string;
  let broadcasts: BroadcastService;
  let room: PressConference;
  let other: PressConference | undefined;
  let router: types.Router;
  let studio: FakeStudioInput;
  const sources: RtpSource[] = [];
  let slug: string;
  let pid: number;
  let startedAt: number;

  beforeAll(async () => {
    broadcast = await startBroadcastServer({
      HLS_SEGMENT_SECONDS: String(SEGMENT_SECONDS),
      HLS_WINDOW_SECONDS: String(WINDOW_SECONDS),
      ...(process.env.PRESSROOM_CONTINUITY_LOG ? { LOG_LEVEL: 'warn' } : {}),
    });
    server = broadcast.server;
    work = broadcast.work;
    broadcasts = server.app.get(BroadcastService);
    room = await openPressConference(server, { title: 'Budget 2026: five minutes, one encode' });
    slug = room.event.slug;
    router = await server.app.get(WorkerPool).next().createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
    studio = new FakeStudioInput(router);
  });

  afterAll(async () => {
    room?.close();
    other?.close();
    await Promise.all(sources.map((source) => source.close()));
    await broadcast?.close();
  });

  const hlsBase = (of: string) => `${server.url}/hls/${of}`;
  const playlistOf = async (of = slug) => (await renditionsOf(hlsBase(of)))[0]!;
  const frameOf = async (segment: Segment, of = slug) => {
    const { base } = await playlistOf(of);
    return decodeFrame(await downloadSegment(base, segment, join(work, `${of}-${segment.uri}.mp4`)));
  };
  /** The first segment whose first picture was made at or after `at`. */
  const segmentFrom = (at: number, of = slug, timeoutMs = 15_000) =>
    waitFor(async () => (await playlistOf(of)).segments.find((s) => s.programDateTime >= at), timeoutMs);
  const pidNow = () => broadcasts.status(room.event.id)?.pid;
  /** A synthetic speaker whose camera already sends (as a browser's does once it is in the studio). */
  const speaker = async (name: string) => {
    const source = await sending(await startRtpSource(router, { keyframeSeconds: KEYFRAME_SECONDS }));
    return { source, tracks: [source.track('video', name), source.track('audio', name)] };
  };
  const sending = async (source: RtpSource) => {
    sources.push(source);
    await waitFor(
      async () => ((await source.video.getStats()).some((stats) => stats.byteCount > 0) ? true : undefined),
      10_000,
    );
    return source;
  };
  /**
   * Changes the studio's tracks and measures how long until the program shows `expected` (by program
   * date-time): '' within `CHANGE_WITHIN_MS`, else what went wrong.
   */
  const change = async (tracks: StudioTrack[], expected: string) => {
    const changedAt = Date.now();
    studio.setTracks(tracks);
    const ms = await shownAfter(changedAt, expected);
    return ms <= CHANGE_WITHIN_MS ? '' : `${expected} after ${ms} ms`;
  };
  /**
   * From `changedAt` to the first picture that shows `expected`, by the program date-times of the
   * segments and one picture in 3 (0.1 s apart); Infinity when none does within 8 s.
   */
  const shownAfter = async (changedAt: number, expected: string, of = slug) => {
    const every = 3;
    const seen: string[] = [];
    for (let next = changedAt; next < changedAt + 8_000;) {
      const from = next;
      const segment = await waitFor(
        async () => (await playlistOf(of)).segments.find((s) => s.programDateTime + s.duration * 1000 > from),
        15_000,
      );
      const { base } = await playlistOf(of);
      const file = await downloadSegment(base, segment, join(work, `${of}-${segment.uri}.mp4`));
      for (const [i, frame] of (await decodeFrames(file, every)).entries()) {
        const at = segment.programDateTime + (i * every * 1000) / FPS;
        if (at < changedAt) continue;
        const layout = layoutOf(shares(frame));
        if (layout === expected) {
          console.log(
            `continuity: ${expected} on air ${Math.round(at - changedAt)} ms after the change (before: ${[...new Set(seen)].join(', ') || '-'})`,
          );
          return at - changedAt;
        }
        seen.push(layout);
      }
      next = segment.programDateTime + segment.duration * 1000;
    }
    console.log(`continuity: ${expected} not on air within 8 s of the change (seen: ${[...new Set(seen)].join(', ')})`);
    return Infinity;
  };

  it('slate → one speaker → a second and a third join → one leaves: each layout on air within 1.5 s', async () => {
    expect((await fetchAgain(`${hlsBase(slug)}/index.m3u8`)).status).toBe(200);
    // Before the start the slate is a loop rendered once: no composite runs yet.
    expect(broadcasts.status(room.event.id)).toBeUndefined();
    expect(layoutOf(shares(await frameOf((await playlistOf()).segments[0]!)))).toBe('none');

    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    // The composite that runs from the start to the end.
    pid = await waitFor(async () => pidNow(), 10_000);
    startedAt = Date.parse(
      (await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`)).startedAt!,
    );
    broadcasts.attachInput(room.event.id, studio);
    const [ruiz, okafor, lind] = await Promise.all(
      ['Minister Ruiz', 'Deputy Okafor', 'Secretary Lind'].map((name) => speaker(name)),
    );
    // Every change is made and measured; the slow ones are listed at the end.
    const late = [
      await change(ruiz!.tracks, '1'),
      await change([...ruiz!.tracks, ...okafor!.tracks], '2'),
      await change([...ruiz!.tracks, ...okafor!.tracks, ...lind!.tracks], '3'),
      await change([...okafor!.tracks, ...lind!.tracks], '2'),
    ].filter(Boolean);
    await ruiz!.source.close();
    expect(pidNow()).toBe(pid);
    expect(late).toEqual([]);
  }, 120_000);

  it('a screen share starts and stops in the same encode', async () => {
    const cameras = studio.tracks();
    const screen = await sending(
      await startRtpSource(router, { width: 1280, height: 720, fps: 15, keyframeSeconds: KEYFRAME_SECONDS }),
    );
    const shared = [...cameras, { ...screen.track('video', 'Deputy Okafor'), source: 'screen' as const }];
    const late = [await change(shared, 'screen+2'), await change(cameras, '2')].filter(Boolean);
    await screen.close();
    expect(pidNow()).toBe(pid);
    expect(late).toEqual([]);
  }, 60_000);

  it('the lower third comes and goes in the same encode', async () => {
    const pending = room.moderator.next('question:pending');
    expect((await room.journalist.send('question:ask', { text: 'Will the rail line be funded?' })).ok).toBe(true);
    const question: QuestionView = await pending;
    expect(await room.moderator.send('question:approve', { questionId: question.id })).toEqual({ ok: true });

    const before = await frameOf(await segmentFrom(Date.now()));
    const onAirAt = Date.now();
    expect(await room.moderator.send('question:onAir', { questionId: question.id })).toEqual({ ok: true });
    const during = await frameOf(await segmentFrom(onAirAt + CHANGE_WITHIN_MS));
    const clearedAt = Date.now();
    expect(await room.moderator.send('question:onAir', { questionId: null })).toEqual({ ok: true });
    const after = await frameOf(await segmentFrom(clearedAt + CHANGE_WITHIN_MS));
    expect(meanDifference(before, during, LOWER_THIRD)).toBeGreaterThan(30);
    expect(meanDifference(before, after, LOWER_THIRD)).toBeLessThan(8);
    expect(layoutOf(shares(after))).toBe('2');
    expect(pidNow()).toBe(pid);
  }, 60_000);

  it(
    `stays on air, one speaker, until ${EVENT_SECONDS} s after the start, in the same encode, the live window sliding`,
    async () => {
      // One speaker from here on: the machine is shared.
      const [camera, microphone] = studio.tracks().slice(-2) as [StudioTrack, StudioTrack];
      expect(await change([camera, microphone], '1')).toBe('');
      while (Date.now() < startedAt + EVENT_SECONDS * 1000) {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(10_000, startedAt + EVENT_SECONDS * 1000 - Date.now())),
        );
        expect(pidNow()).toBe(pid);
      }
      // The live playlist lists only the latest WINDOW_SECONDS: the first segments have slid out.
      const live = await playlistOf();
      expect(live.ended).toBe(false);
      expect(live.mediaSequence).toBeGreaterThan(0);
      const listed = live.segments.reduce((sum, segment) => sum + segment.duration, 0);
      expect(listed).toBeLessThanOrEqual(WINDOW_SECONDS + 2 * SEGMENT_SECONDS);
    },
    (EVENT_SECONDS + 60) * 1000,
  );

  it('the end: zero discontinuity, one init segment, EXTINF = program date-times, every segment decodes, one profile, monotonic timestamps; the MP4 within 10 s', async () => {
    const endedAt = Date.now();
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);
    const recording = waitFor(
      async () => {
        const response = await fetchAgain(`${server.url}/api/events/${slug}/recording.mp4`, {
          authorization: `Bearer ${room.moderatorApi.bearer}`,
        });
        return response.status === 200 ? { response, readyMs: Date.now() - endedAt } : undefined;
      },
      60_000,
      100,
    );
    await waitFor(async () => ((await playlistOf()).ended ? true : undefined), 20_000);
    expect(isRunning(pid)).toBe(false);

    for (const playlist of await renditionsOf(hlsBase(slug))) {
      expect(playlist.ended).toBe(true);
      expect(playlist.discontinuities).toBe(0);
      expect(playlist.text.split('\n').filter((line) => line.startsWith('#EXT-X-MAP:'))).toHaveLength(1);
      const { segments } = playlist;
      const last = segments[segments.length - 1]!;
      const span = (last.programDateTime + last.duration * 1000 - segments[0]!.programDateTime) / 1000;
      const media = segments.reduce((sum, segment) => sum + segment.duration, 0);
      console.log(
        `continuity: ${segments.length} segments, EXTINF ${media.toFixed(3)} s, PDT span ${span.toFixed(3)} s`,
      );
      expect(Math.abs(media - span)).toBeLessThan(0.2);
    }

    // The recording: time on air, and how soon it is there.
    const { response, readyMs } = await recording;
    const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
    const onAirSeconds = (Date.parse(details.endedAt!) - Date.parse(details.startedAt!)) / 1000;
    const mp4 = join(work, 'recording.mp4');
    writeFileSync(mp4, Buffer.from(await response.arrayBuffer()));
    const probe = await ffprobe(mp4);
    const duration = Number(probe.format.duration);
    console.log(
      `continuity: on air ${onAirSeconds.toFixed(2)} s, recording ${duration.toFixed(2)} s, ready ${readyMs} ms after the end was asked`,
    );
    // The composite starts with the event (before, the slate is a loop rendered once): the recording begins
    // with its first segment, FFmpeg's start-up after the start, and ends with the end.
    const top = await playlistOf();
    const first = top.segments[0]!;
    console.log(
      `continuity: first segment made ${first.programDateTime - Date.parse(details.startedAt!)} ms after the start`,
    );
    // The top rendition's closed playlist is the whole event again, not the live window.
    expect(top.mediaSequence).toBe(0);
    const last = top.segments[top.segments.length - 1]!;
    expect((last.programDateTime + last.duration * 1000 - first.programDateTime) / 1000).toBeGreaterThan(
      onAirSeconds - 1.5,
    );
    expect(duration).toBeLessThanOrEqual(onAirSeconds + 0.5);
    expect(duration).toBeGreaterThan(onAirSeconds - 1.5);
    expect(probe.video).toMatchObject({ codec_name: 'h264', width: WIDTH, height: HEIGHT });
    expect(probe.audio).toMatchObject({ codec_name: 'aac' });

    // The whole HLS run as one file (its init segment, then every segment): each segment decodes.
    const playlist = await playlistOf();
    const hls = await downloadRun(playlist.base, playlist.segments, join(work, 'run.mp4'));
    const { errors, frames } = await decodedFrames(hls);
    expect(errors).toEqual([]);
    const firstPts = frames.video[0]!;
    let start = 0;
    const short = playlist.segments.flatMap((segment) => {
      const from = firstPts + start - 0.5 / FPS;
      start += segment.duration;
      const count = frames.video.filter((t) => t >= from && t < firstPts + start - 0.5 / FPS).length;
      return count >= Math.round(segment.duration * FPS) - 1 ? [] : [`${segment.uri}: ${count} frames`];
    });
    expect(short).toEqual([]);
    expect(frames.audio.length).toBeGreaterThan(0);

    // One codec profile (every SPS), monotonic timestamps (every packet), in the HLS run and the MP4.
    for (const file of [hls, mp4]) {
      expect([...new Set(await h264Profiles(file))]).toEqual([100]); // High
      expect((await ffprobe(file)).video).toMatchObject({ profile: 'High' });
      const times = await packetTimes(file);
      for (const stream of [times.video, times.audio]) {
        expect(stream.length).toBeGreaterThan(0);
        const backwards = stream.filter((dts, i) => i > 0 && dts <= stream[i - 1]!);
        expect(backwards).toEqual([]);
      }
      // No jump either: consecutive pictures at most 3 frame intervals apart.
      const jumps = times.video.filter((dts, i) => i > 0 && dts - times.video[i - 1]! > 3 / FPS);
      expect(jumps).toEqual([]);
    }
    // Last, as it depends most on how busy the machine is (the ended slate's 4 s included).
    expect(readyMs).toBeLessThan(10_000);
  }, 240_000);

  it('the composite killed mid-event: exactly one discontinuity, on air again within 3 s, the PDT gap = the outage ± 0.5 s', async () => {
    other = await openPressConference(server, { title: 'Budget 2026: the composite killed' });
    const of = other.event.slug;
    await other.moderatorApi.expectOk('POST', `/api/events/${of}/start`);
    const otherStudio = new FakeStudioInput(router);
    broadcasts.attachInput(other.event.id, otherStudio);
    otherStudio.setTracks((await speaker('Minister Ruiz')).tracks);
    await waitFor(async () => {
      const current = await playlistOf(of);
      return current.segments.length >= 6 && broadcasts.status(other!.event.id)?.showing === 'speakers'
        ? true
        : undefined;
    }, 30_000);
    await segmentFrom(Date.now() + CHANGE_WITHIN_MS, of);

    const killed = broadcasts.status(other.event.id)!;
    process.kill(killed.pid!, 'SIGKILL');
    const killedAt = Date.now();
    const after = await waitFor(async () => {
      const current = await playlistOf(of);
      return current.discontinuities > 0 ? current : undefined;
    }, 10_000);
    const seenMs = Date.now() - killedAt;
    const resumed = after.segments.findIndex((segment) => segment.run !== after.segments[0]!.run);
    const lastBefore = after.segments[resumed - 1]!;
    const firstAfter = after.segments[resumed]!;
    const outageMs = firstAfter.programDateTime - killedAt;
    const gapMs = firstAfter.programDateTime - (lastBefore.programDateTime + lastBefore.duration * 1000);
    console.log(
      `continuity: killed at ${new Date(killedAt).toISOString()}; new run listed ${seenMs} ms later, its first picture made ${outageMs} ms after the kill; PDT gap ${gapMs} ms`,
    );
    expect(after.discontinuities).toBe(1);
    expect(outageMs).toBeLessThan(3_000);
    expect(seenMs).toBeLessThan(8_000); // listed once its first segment is complete: slower on a busy machine
    expect(Math.abs(gapMs - outageMs)).toBeLessThanOrEqual(500);
    expect(broadcasts.status(other.event.id)).toMatchObject({ restarts: killed.restarts + 1 });
    // The speaker is back in the new run, and the rest of the event adds no discontinuity.
    expect(layoutOf(shares(await frameOf(await segmentFrom(Date.now() + CHANGE_WITHIN_MS, of), of)))).toBe('1');
    await other.moderatorApi.expectOk('POST', `/api/events/${of}/end`);
    const final = await waitFor(async () => {
      const current = await playlistOf(of);
      return current.ended ? current : undefined;
    }, 40_000);
    expect(final.discontinuities).toBe(1);
    expect(final.text.split('\n').filter((line) => line.startsWith('#EXT-X-MAP:'))).toHaveLength(2);
  }, 120_000);
});

/**
 * The event's media playlists (`hlsBase`: `…/hls/:slug`): index.m3u8 itself, or, when it is a
 * multivariant playlist, each rendition's; the full-size picture's first.
 */
async function renditionsOf(hlsBase: string): Promise<Array<Playlist & { base: string }>> {
  const text = await (await fetchAgain(`${hlsBase}/index.m3u8`)).text();
  if (!text.includes('#EXT-X-STREAM-INF')) return [{ ...parsePlaylist(text), base: hlsBase }];
  const lines = text.split('\n').map((line) => line.trim());
  const variants = lines.flatMap((line, i) =>
    line.startsWith('#EXT-X-STREAM-INF')
      ? [{ full: line.includes(`RESOLUTION=${WIDTH}x${HEIGHT}`), uri: lines[i + 1]! }]
      : [],
  );
  const audio = lines.flatMap((line) => (line.startsWith('#EXT-X-MEDIA') ? [/URI="([^"]+)"/.exec(line)?.[1]] : []));
  const uris = [
    ...variants.filter((v) => v.full).map((v) => v.uri),
    ...variants.filter((v) => !v.full).map((v) => v.uri),
    ...audio.filter((uri): uri is string => Boolean(uri)),
  ];
  return Promise.all(
    [...new Set(uris)].map(async (uri) => {
      const base = `${hlsBase}/${uri.split('/').slice(0, -1).join('/')}`.replace(/\/$/, '');
      return { ...parsePlaylist(await (await fetchAgain(`${hlsBase}/${uri}`)).text()), base };
    }),
  );
}
