import type { EventDetails } from '@pressroom/protocol';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SLATE_RENDERS_AT_ONCE } from '../../apps/api/src/broadcast/slate/slates';
import { Api } from './harness/api';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { filesUnder } from './harness/disk-scan';
import { mediaPlaylistOf, variantsOf } from './harness/hls';
import {
  decodeFrame,
  downloadSegment,
  ffprobe,
  parsePlaylist,
  WIDTH,
  type Playlist,
  type Region,
} from './harness/media';
import { ffmpegChildren } from './harness/processes';
import type { TestServer } from './harness/server';

jest.setTimeout(180_000);

const EVENTS = 20;
const PLAYLIST_REQUESTS = 50;

/**
 * The FFmpeg children of this process that work in `dir` (this suite's server's media; all suites run in one
 * process, and another suite's leftovers are not this server's).
 */
function ffmpegIn(dir: string): number[] {
  return ffmpegChildren().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** This server's FFmpeg processes, sampled until stopped: most at once, most RSS. */
function watchFfmpeg(dir: string, everyMs = 20) {
  let most = 0;
  let mostRssKb = 0;
  const seen = new Set<number>();
  const timer = setInterval(() => {
    const pids = ffmpegIn(dir);
    pids.forEach((pid) => seen.add(pid));
    most = Math.max(most, pids.length);
    mostRssKb = Math.max(
      mostRssKb,
      pids.map(rssKb).reduce((sum, kb) => sum + kb, 0),
    );
  }, everyMs);
  const read = () => ({ most, started: seen.size, mostRssMb: Math.round(mostRssKb / 1024) });
  return {
    read,
    stop: () => {
      clearInterval(timer);
      return read();
    },
  };
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile
  }
}

const bytesUnder = (dir: string) => filesUnder(dir).reduce((sum, file) => sum + statSync(file).size, 0);

/**
 * How much of the text in `region` differs between two pictures: pixels that are ink (light) in one and not
 * in the other, over the ink of both (0: the same text; near 1: other text).
 */
function inkChange(a: Buffer, b: Buffer, region: Region): number {
  const ink = (picture: Buffer, x: number, y: number) => {
    const i = (y * WIDTH + x) * 3;
    return picture[i]! + picture[i + 1]! + picture[i + 2]! > 3 * 110;
  };
  let either = 0;
  let one = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const inA = ink(a, x, y);
      const inB = ink(b, x, y);
      if (inA || inB) either++;
      if (inA !== inB) one++;
    }
  }
  return either === 0 ? 0 : one / either;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduled events: the "starting soon" slate costs nothing per visitor', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let moderator: Api;
  const events: EventDetails[] = [];

  beforeAll(async () => {
    broadcast = await startBroadcastServer();
    server = broadcast.server;
    moderator = await Api.asModerator(server.url);
    for (let i = 0; i < EVENTS; i++) events.push(await moderator.createEvent({ title: `Briefing ${i + 1}` }));
  });

  afterAll(async () => {
    await broadcast?.close();
  });

  const hls = (slug: string, name: string) => fetch(`${server.url}/hls/${slug}/${name}`);
  const playlistOf = async (slug: string): Promise<Playlist> => {
    const response = await hls(slug, 'index.m3u8');
    expect(response.status).toBe(200);
    return parsePlaylist(await response.text());
  };

  it(`${PLAYLIST_REQUESTS} anonymous requests at once for ${EVENTS} events' playlists, and as many for segments that do not exist, run at most ${SLATE_RENDERS_AT_ONCE} FFmpeg`, async () => {
    const watch = watchFfmpeg(broadcast.mediaDir);
    const playlists = Array.from({ length: PLAYLIST_REQUESTS }, (_, i) => hls(events[i % EVENTS]!.slug, 'index.m3u8'));
    const missing = Array.from({ length: PLAYLIST_REQUESTS }, (_, i) =>
      hls(events[i % EVENTS]!.slug, ['r1-00042.m4s', 'r1-init.mp4', `s${'0'.repeat(16)}-00001.m4s`][i % 3]!),
    );
    const missingStatuses = await Promise.all(missing.map(async (response) => (await response).status));
    const playlistStatuses = await Promise.all(playlists.map(async (response) => (await response).status));
    await sleep(1_000);
    const measured = watch.read();
    console.log(
      `slate: ${PLAYLIST_REQUESTS} playlist + ${PLAYLIST_REQUESTS} missing-segment requests over ${EVENTS} scheduled events: ` +
        `${measured.started} FFmpeg started, at most ${measured.most} at once, at most ${measured.mostRssMb} MB RSS together`,
    );
    expect(measured.most).toBeLessThanOrEqual(SLATE_RENDERS_AT_ONCE);
    expect(missingStatuses.every((status) => status === 404)).toBe(true);
    // Not rendered yet (the renders queue): "not found" for now, as for a broadcast starting.
    expect(playlistStatuses.every((status) => status === 200 || status === 404)).toBe(true);

    // What a player does: ask again until the slate is there. Each event's loop is rendered once.
    for (const event of events) {
      for (let tries = 0; (await hls(event.slug, 'index.m3u8')).status !== 200; tries++) {
        expect(tries).toBeLessThan(60);
        await sleep(1000);
      }
    }
    const all = watch.stop();
    expect(all.most).toBeLessThanOrEqual(SLATE_RENDERS_AT_ONCE);
    expect(all.started).toBeLessThanOrEqual(EVENTS);
    expect(ffmpegIn(broadcast.mediaDir)).toEqual([]);
  });

  it('once rendered, more visitors start nothing and write nothing; the disk holds one small loop per event', async () => {
    const before = bytesUnder(broadcast.mediaDir);
    const watch = watchFfmpeg(broadcast.mediaDir);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const slug = events[i % EVENTS]!.slug;
        const playlist = await playlistOf(slug);
        const segment = playlist.segments[i % playlist.segments.length]!;
        return (await hls(slug, i % 2 ? segment.uri : segment.init)).status;
      }),
    );
    await sleep(500);
    const measured = watch.stop();
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(measured.started).toBe(0);
    expect(bytesUnder(broadcast.mediaDir)).toBe(before);
    expect(before).toBeLessThan(EVENTS * 1024 * 1024);
  });

  it('the slate plays as a live stream: the playlist moves with the clock; a segment is H.264 720p and AAC', async () => {
    const { slug } = events[0]!;
    const first = await playlistOf(slug);
    await sleep(2_500);
    const later = await playlistOf(slug);
    const sequence = (p: Playlist) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(p.text)![1]);
    expect(sequence(later)).toBeGreaterThanOrEqual(sequence(first) + 2);
    expect(later.ended).toBe(false);
    expect(later.segments.length).toBeGreaterThanOrEqual(3);
    // The newest segment ended before the playlist was asked for, within two segments of now.
    const newest = later.segments[later.segments.length - 1]!;
    expect(Date.now() - (newest.programDateTime + newest.duration * 1000)).toBeLessThan(3_000);

    const file = await downloadSegment(`${server.url}/hls/${slug}`, newest, join(broadcast.work, 'slate-segment.mp4'));
    const probe = await ffprobe(file);
    expect(probe.video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(probe.audio).toMatchObject({ codec_name: 'aac' });
    // A segment of the loop's timeline: it starts where the one before it ends.
    expect(Number(probe.format.duration) - Number(probe.format.start_time)).toBeCloseTo(1, 0);
  });

  it('a new title: a new loop (rendered once), the old one deleted', async () => {
    const { slug } = events[1]!;
    const old = (await playlistOf(slug)).segments[0]!;
    // A viewer fetched it: the origin serves it from memory from then on.
    expect((await hls(slug, old.uri)).status).toBe(200);
    await moderator.expectOk('PATCH', `/api/events/${slug}`, { title: 'Briefing 2, moved to the main hall' });
    const renamed = await playlistOf(slug);
    expect(renamed.segments[0]!.init).not.toBe(old.init);
    expect((await hls(slug, renamed.segments[0]!.uri)).status).toBe(200);
    expect((await hls(slug, old.uri)).status).toBe(404);
  });

  it("an event in Spanish: its slate's status line is written in Spanish (the title, the same, is drawn the same)", async () => {
    const title = 'Rueda de prensa del Consejo de Ministros';
    const spanish = await moderator.createEvent({ title, language: 'es' });
    const english = await moderator.createEvent({ title });
    const firstFrame = async (slug: string) => {
      const segment = (await playlistOf(slug)).segments[0]!;
      return decodeFrame(
        await downloadSegment(`${server.url}/hls/${slug}`, segment, join(broadcast.work, `${slug}.mp4`)),
      );
    };
    const [es, en] = await Promise.all([firstFrame(spanish.slug), firstFrame(english.slug)]);
    // slate-title.ts: the title's lines (up to three) centred on y = 290, the status line from 30 px below
    // the middle. Compared as ink (light pixels on the dark background), so the encoder's noise does not count.
    const titleLine = { x: 0, y: 200, width: WIDTH, height: 180 };
    const statusLine = { x: 0, y: 385, width: WIDTH, height: 50 };
    const titleChange = inkChange(es, en, titleLine);
    const statusChange = inkChange(es, en, statusLine);
    console.log(
      `slate: ${titleChange.toFixed(3)} of the title's ink moved, ${statusChange.toFixed(3)} of the status line's`,
    );
    expect(titleChange).toBeLessThan(0.1);
    expect(statusChange).toBeGreaterThan(0.5);

    // Switched to English: the English event's picture (a new loop, rendered once).
    await moderator.expectOk('PATCH', `/api/events/${spanish.slug}`, { language: null });
    expect(inkChange(await firstFrame(spanish.slug), en, statusLine)).toBeLessThan(0.1);
    // A language the pages do not have is refused, with the ones they have.
    const refused = await moderator.request('PATCH', `/api/events/${spanish.slug}`, { language: 'pt' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('language must be one of en, es, fr, it, nl, de');
  });

  it('the start: the playlist becomes the broadcast, and the slate leaves the disk', async () => {
    const { slug, id } = events[2]!;
    await playlistOf(slug);
    await moderator.expectOk('POST', `/api/events/${slug}/start`);
    // The entry point is the broadcast's multivariant playlist now; its top rendition lists the composite's segments.
    const entry = await hls(slug, 'index.m3u8');
    expect(entry.status).toBe(200);
    expect(variantsOf(await entry.text())[0]).toBe('v720.m3u8');
    const live = await mediaPlaylistOf(`${server.url}/hls/${slug}`);
    expect(live.segments[0]!.uri).toMatch(/^r\d+-v720-\d+\.m4s$/);
    expect(filesUnder(join(broadcast.mediaDir, 'broadcasts', id)).some((file) => file.includes('/slate/'))).toBe(false);
    await moderator.expectOk('POST', `/api/events/${slug}/end`);
  });
});
