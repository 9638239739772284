import { AUDIO_ONLY_PLAYLIST, type EventDetails } from '@pressroom/protocol';
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  putSpeakerOnAir,
  startBroadcastServer,
  type BroadcastTestServer,
  type SpeakerOnAir,
} from './harness/broadcast-server';
import { mediaPlaylistOf, variantsOf } from './harness/hls';
import { ffprobe, HEIGHT, parsePlaylist, waitFor, WIDTH, type Playlist } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import { SLATE_WINDOW_SECONDS, slateSegmentsPerLoop } from '../../apps/api/src/broadcast/slate/slate-loop';

/** A small window keeps the test short: the playlist must slide (and files go) within seconds. */
const WINDOW_SECONDS = 6;
const SEGMENT_SECONDS = 0.5;
/** How long the event stays live: the window slides over it several times. */
const LIVE_MS = 24_000;

const sequenceOf = (playlist: Playlist) => Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)$/m.exec(playlist.text)?.[1]);
/** The slate loops' segment files under an event's broadcast directory. */
const slateFiles = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((name) => /(^|\/)s[0-9a-f]{16}-\d{5}\.m4s$/.test(name));
const lengthOf = (playlist: Playlist) => playlist.segments.reduce((sum, segment) => sum + segment.duration, 0);

describe('the live playlist lists a window of recent segments; after the end, the whole event (continuous engine, FFmpeg)', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  let speaker: SpeakerOnAir | undefined;
  let slug: string;
  let dir: string;
  /** What a player plays: the slate's playlist before the start, then v720's through the multivariant. */
  const playlist = () => mediaPlaylistOf(`${broadcast!.server.url}/hls/${slug}`);
  const segmentFiles = () => readdirSync(dir).filter((name) => name.endsWith('.m4s'));

  beforeAll(async () => {
    broadcast = await startBroadcastServer({
      HLS_SEGMENT_SECONDS: String(SEGMENT_SECONDS),
      HLS_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
    room = await openPressConference(broadcast.server, { title: 'Budget 2026: the window' });
    slug = room.event.slug;
    dir = join(broadcast.mediaDir, 'broadcasts', room.event.id);
  });

  afterAll(async () => {
    room?.close();
    await speaker?.source.close();
    await broadcast?.close();
  });

  it('before the start: the slate loop slides through its window with the clock; nothing more is written for it', async () => {
    const first = await playlist();
    expect(first.url).toBe(`${broadcast!.server.url}/hls/${slug}/index.m3u8`);
    expect(first.segments[0]!.uri).toMatch(/^s[0-9a-f]{16}-\d{5}\.m4s$/);
    expect(sequenceOf(first)).toBeGreaterThan(0);
    expect(lengthOf(first)).toBeLessThanOrEqual(SLATE_WINDOW_SECONDS + 0.01);
    const loopFiles = () => slateFiles(dir).length;
    const filesBefore = loopFiles();
    expect(filesBefore).toBe(slateSegmentsPerLoop(SEGMENT_SECONDS));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const later = await playlist();
    expect(sequenceOf(later) - sequenceOf(first)).toBeGreaterThanOrEqual(4);
    expect(lengthOf(later)).toBeLessThanOrEqual(SLATE_WINDOW_SECONDS + 0.01);
    // One loop on disk, served again and again: no segment per second of waiting, no composite's files.
    expect(loopFiles()).toBe(filesBefore);
    expect(segmentFiles()).toEqual([]);
  }, 60_000);

  it('live: the playlist stays within the window, its size constant, its sequence numbers moving on; FFmpeg plays it', async () => {
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    speaker = await putSpeakerOnAir(broadcast!.server, room.event.id);
    const startedAt = Date.now();
    const samples: Playlist[] = [];
    while (Date.now() - startedAt < LIVE_MS) {
      samples.push(await playlist());
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    for (const sample of samples) {
      expect(lengthOf(sample)).toBeLessThanOrEqual(WINDOW_SECONDS + 0.01);
      expect(sample.text).not.toContain('#EXT-X-PLAYLIST-TYPE');
      expect(sample.ended).toBe(false);
    }
    const sequences = samples.map(sequenceOf);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(sequences[sequences.length - 1]! - sequences[0]!).toBeGreaterThan((0.5 * LIVE_MS) / 1000 / SEGMENT_SECONDS);
    // Constant size: the same number of segments (give or take one), the same bytes (give or take one entry).
    const late = samples.slice(samples.length / 2);
    const counts = late.map((sample) => sample.segments.length);
    const sizes = late.map((sample) => Buffer.byteLength(sample.text));
    console.log(
      `window: ${Math.min(...counts)}-${Math.max(...counts)} segments, ${Math.min(...sizes)}-${Math.max(...sizes)} bytes`,
    );
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(120);
    expect(Math.min(...counts) * SEGMENT_SECONDS).toBeGreaterThanOrEqual(WINDOW_SECONDS - 2 * SEGMENT_SECONDS);

    // A blocking reload (RFC 8216bis 6.2.5.2, `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES`): asked for the
    // next segment, the server answers once it is listed (within a segment or so), not before and not with
    // the playlist it had; too far ahead is a 400.
    const live = await playlist();
    expect(live.text).toContain('\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n');
    const lastOf = (text: string) => sequenceOf(parsePlaylist(text)) + parsePlaylist(text).segments.length - 1;
    const next = lastOf(live.text) + 1;
    const asked = Date.now();
    const blocked = await fetch(`${live.url}?_HLS_msn=${next}`);
    const waitedMs = Date.now() - asked;
    const blockedText = await blocked.text();
    console.log(`blocking reload for segment ${next}: answered after ${waitedMs} ms`);
    expect(blocked.status).toBe(200);
    expect(lastOf(blockedText)).toBeGreaterThanOrEqual(next);
    expect(waitedMs).toBeLessThan(2_500);
    const tooFar = await fetch(`${live.url}?_HLS_msn=${lastOf(blockedText) + 3}`);
    expect(tooFar.status).toBe(400);
    expect(((await tooFar.json()) as { message: string }).message).toMatch(/more than two segments/);

    // A player: FFmpeg's HLS reader on the live window reads the program from it.
    const { stdout } = await promisify(execFile)(
      'ffprobe',
      ['-v', 'error', '-show_streams', '-of', 'json', `${broadcast!.server.url}/hls/${slug}/index.m3u8`],
      { timeout: 30_000 },
    );
    const streams = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams;
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: WIDTH,
      height: HEIGHT,
    });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  }, 90_000);

  it('after the end: a VOD playlist of the whole event, every file it lists there, no other', async () => {
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);
    const vod = await waitFor(async () => {
      const current = await playlist();
      return current.ended ? current : undefined;
    }, 20_000);
    expect(vod.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD\n');
    expect(vod.text).not.toContain('#EXT-X-SERVER-CONTROL');
    const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
    const { segments } = vod;
    const first = segments[0]!;
    const last = segments[segments.length - 1]!;
    // From the start (the composite starts when the event goes live: its first segment, within seconds) to
    // after the end (the ended slate).
    const startedAt = Date.parse(details.startedAt!);
    console.log(`first segment ${first.programDateTime - startedAt} ms after the start`);
    expect(first.programDateTime).toBeGreaterThanOrEqual(startedAt - 1_000);
    expect(first.programDateTime).toBeLessThanOrEqual(startedAt + 10_000);
    expect(last.programDateTime).toBeGreaterThanOrEqual(Date.parse(details.endedAt!));
    // No hole: the segments' durations add up to the time they span.
    const span = (last.programDateTime + last.duration * 1000 - first.programDateTime) / 1000;
    expect(Math.abs(lengthOf(vod) - span)).toBeLessThan(0.5);
    expect(lengthOf(vod)).toBeGreaterThan(LIVE_MS / 1000);
    // On disk: every segment the VOD lists (v720's, the recording's), and nothing that no closed playlist
    // lists (the lower video renditions keep only their last window: each file on disk is listed by one).
    const v720Files = segmentFiles().filter((name) => name.includes('-v720-'));
    expect(v720Files.sort()).toEqual(segments.map((segment) => segment.uri).sort());
    const base = `${broadcast!.server.url}/hls/${slug}`;

    // "Audio only" (the event page plays audio.m3u8 by its address) plays the whole event too, not its last
    // window: the same span as the picture's VOD, within a segment at each end.
    const audio = parsePlaylist(await (await fetch(`${base}/${AUDIO_ONLY_PLAYLIST}`)).text());
    const audioFirst = audio.segments[0]!;
    const audioLast = audio.segments[audio.segments.length - 1]!;
    console.log(`audio only: ${lengthOf(audio).toFixed(1)} s, the picture ${lengthOf(vod).toFixed(1)} s`);
    expect(audio.ended).toBe(true);
    expect(Math.abs(audioFirst.programDateTime - first.programDateTime)).toBeLessThan(SEGMENT_SECONDS * 1000 + 100);
    expect(Math.abs(audioLast.programDateTime - last.programDateTime)).toBeLessThan(SEGMENT_SECONDS * 1000 + 100);
    expect(Math.abs(lengthOf(audio) - lengthOf(vod))).toBeLessThan(2 * SEGMENT_SECONDS);
    const audioFiles = segmentFiles().filter((name) => name.includes('-audio-'));
    expect(audioFiles.sort()).toEqual(audio.segments.map((segment) => segment.uri).sort());

    // Every rendition's closed playlist: the multivariant lists them until the ended slate is over, then the
    // top rendition alone (endedMultivariant); the lower ones' playlists and last window stay on disk.
    const multivariant = await (await fetch(`${base}/index.m3u8`)).text();
    const renditions = readdirSync(dir).filter((name) => /^(v\d+|audio)\.m3u8$/.test(name));
    expect(variantsOf(multivariant).every((variant) => renditions.includes(variant))).toBe(true);
    const listed = new Set<string>(audio.segments.map((segment) => segment.uri));
    for (const variant of renditions) {
      const closed = parsePlaylist(await (await fetch(`${base}/${variant}`)).text());
      expect([variant, closed.ended]).toEqual([variant, true]);
      for (const segment of closed.segments) listed.add(segment.uri);
    }
    expect(segmentFiles().filter((name) => !listed.has(name))).toEqual([]);
    for (const segment of [first, last]) {
      const response = await fetch(`${broadcast!.server.url}/hls/${slug}/${segment.uri}`);
      expect(response.status).toBe(200);
    }

    // The recording is made from those segments: the whole live part.
    const onAirSeconds = (Date.parse(details.endedAt!) - Date.parse(details.startedAt!)) / 1000;
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${broadcast!.server.url}/api/events/${slug}/recording.mp4`, {
          headers: { authorization: `Bearer ${room.moderatorApi.bearer}` },
        });
        return response.status === 200 ? response : undefined;
      },
      60_000,
      250,
    );
    const file = join(broadcast!.work, 'recording.mp4');
    writeFileSync(file, Buffer.from(await ready.arrayBuffer()));
    const duration = Number((await ffprobe(file)).format.duration);
    console.log(`recording ${duration} s, on air ${onAirSeconds} s`);
    expect(Math.abs(duration - onAirSeconds)).toBeLessThan(1);
  }, 120_000);
});
