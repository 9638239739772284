import type { EventDetails, RecordingStatus } from '@pressroom/protocol';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { SecretsService } from '../../apps/api/src/auth/secrets.service';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import { mediaPlaylistOf } from './harness/hls';
import { ffprobe, HEIGHT, waitFor, WIDTH } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import { ffmpegChildrenWith, isRunning } from './harness/processes';
import type { RtpSource } from './harness/rtp-source';
import {
  startBroadcastServer,
  putSpeakerOnAir,
  type BroadcastTestServer,
  type SpeakerOnAir,
} from './harness/broadcast-server';
import type { TestServer } from './harness/server';

/** What the speaker's broadcast lasts before the moderator ends the event, at least. */
const LIVE_SECONDS = 8;

describe('recording: the MP4 of an ended event for moderators (FFmpeg, real mediasoup, real server)', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let room: PressConference;
  let source: RtpSource;
  let slug: string;
  let liveSeconds: number;
  let mp4: Buffer;

  beforeAll(async () => {
    broadcast = await startBroadcastServer({ PURGE_INTERVAL_SECONDS: '1' });
    server = broadcast.server;
    room = await openPressConference(server, { title: 'Budget 2026: the recording', retentionHours: 1 });
    slug = room.event.slug;
  });

  afterAll(async () => {
    room?.close();
    await source?.close();
    await broadcast?.close();
  });

  const recording = (token: string | undefined, headers: Record<string, string> = {}, file = 'recording.mp4') =>
    fetch(`${server.url}/api/events/${slug}/${file}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  const asModerator = (headers?: Record<string, string>, file?: string) =>
    recording(room.moderatorApi.bearer, headers, file);
  const statusOf = async () => (await (await asModerator({}, 'recording')).json()) as RecordingStatus;
  /** The address a plain link in the status points at: the MP4 with a short-lived key, no header needed. */
  const downloadLink = () => `/api/events/${slug}/recording.mp4?key=`;
  const keyOf = (status: RecordingStatus) => new URL(status.downloadUrl, server.url).searchParams.get('key')!;
  const withKey = (key: string, init: RequestInit = {}, path = `/api/events/${slug}/recording.mp4`) =>
    fetch(`${server.url}${path}?key=${encodeURIComponent(key)}`, init);

  it('is not there before the event ends: 409 with a clear message', async () => {
    const response = await asModerator();
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      statusCode: 409,
      error: 'invalid_state',
      message: 'The recording can be downloaded once the event has ended',
    });
    expect(await statusOf()).toEqual({
      state: 'not_ended',
      downloadUrl: expect.stringContaining(downloadLink()),
      downloadUrlExpiresInSeconds: 600,
    });
    const early = await withKey(keyOf(await statusOf()));
    expect(early.status).toBe(409);
  });

  it('is for moderators only: 403 for a viewer, a journalist or a speaker, 401 without a token', async () => {
    for (const role of ['viewer', 'journalist', 'speaker'] as const) {
      for (const file of ['recording.mp4', 'recording']) {
        const response = await recording(room.tokens[role], {}, file);
        expect({ role, file, status: response.status }).toEqual({ role, file, status: 403 });
        expect(await response.json()).toMatchObject({ error: 'forbidden', message: 'Only moderators can do this' });
      }
    }
    expect((await recording(undefined)).status).toBe(401);
  });

  it('after the end, the live part is made into one MP4: 202 with Retry-After meanwhile', async () => {
    const startedAt = Date.now();
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    ({ source } = await putSpeakerOnAir(server, room.event.id));
    const broadcasts = server.app.get(BroadcastService);
    await waitFor(async () => {
      const playlist = await mediaPlaylistOf(`${server.url}/hls/${slug}`);
      const speakers = playlist.segments.filter((s) => s.run === playlist.lastRun).length;
      const speaking = broadcasts.status(room.event.id)?.showing === 'speakers';
      return speaking && speakers >= 3 && Date.now() - startedAt >= LIVE_SECONDS * 1000 ? true : undefined;
    }, 30_000);
    expect((await asModerator()).status).toBe(409);

    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);
    liveSeconds = (Date.now() - startedAt) / 1000;
    const preparing = await asModerator();
    expect(preparing.status).toBe(202);
    expect(Number(preparing.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await preparing.json()).toMatchObject({ state: 'preparing', retryAfterSeconds: 5 });

    const ready = await waitFor(
      async () => {
        const response = await asModerator();
        if (response.status === 202) return undefined;
        return response;
      },
      90_000,
      500,
    );
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toBe('video/mp4');
    expect(ready.headers.get('content-disposition')).toBe(`attachment; filename="${slug}-recording.mp4"`);
    expect(ready.headers.get('accept-ranges')).toBe('bytes');
    mp4 = Buffer.from(await ready.arrayBuffer());
    expect(Number(ready.headers.get('content-length'))).toBe(mp4.length);
  });

  it('is one H.264 720p and one AAC stream as long as the event was live, its index first', async () => {
    const file = join(broadcast.work, 'recording.mp4');
    writeFileSync(file, mp4);
    const probe = await ffprobe(file);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect(probe.video).toMatchObject({ codec_name: 'h264', width: WIDTH, height: HEIGHT, r_frame_rate: '30/1' });
    expect(probe.audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    // From the first picture after the start to the last before the end (FFmpeg takes a moment to start).
    const duration = Number(probe.format.duration);
    expect(duration).toBeGreaterThan(liveSeconds - 4);
    expect(duration).toBeLessThan(liveSeconds + 2);
    expect(topLevelBoxes(mp4).indexOf('moov')).toBeLessThan(topLevelBoxes(mp4).indexOf('mdat'));

    expect(await statusOf()).toEqual({
      state: 'ready',
      downloadUrl: expect.stringContaining(downloadLink()),
      downloadUrlExpiresInSeconds: 600,
      sizeBytes: mp4.length,
      durationSeconds: expect.any(Number),
    });
  });

  it("downloads from the status's link alone, without any header, as a plain link in a browser does", async () => {
    const { downloadUrl } = await statusOf();
    const response = await fetch(server.url + downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${slug}-recording.mp4"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(mp4)).toBe(true);
    // A download manager resumes with ranges; asking for the headers alone (HEAD) sends no body.
    const resumed = await fetch(server.url + downloadUrl, { headers: { range: `bytes=${mp4.length - 100}-` } });
    expect(resumed.status).toBe(206);
    expect(Buffer.from(await resumed.arrayBuffer()).equals(mp4.subarray(mp4.length - 100))).toBe(true);
    const head = await fetch(server.url + downloadUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(mp4.length);
  });

  it('refuses a forged or expired key, a key of another event, and a token of another kind as a key', async () => {
    const key = keyOf(await statusOf());
    const refusal = async (response: Response) => ({
      status: response.status,
      ...((await response.json()) as object),
    });

    const [header, payload, signature] = key.split('.');
    const forged = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await refusal(await withKey(forged))).toMatchObject({
      status: 401,
      error: 'unauthorized',
      message: 'This download link does not work (The token is not valid): the console gives a new one',
    });

    const claims = jwt.decode(key) as jwt.JwtPayload;
    const secret = await server.app.get(SecretsService).tokenSigningKey();
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256' });
    expect(await refusal(await withKey(expired))).toMatchObject({
      status: 401,
      message: 'This download link does not work (The token has expired): the console gives a new one',
    });

    const other = await room.moderatorApi.createEvent({ title: 'Another briefing' });
    const otherStatus = await room.moderatorApi.expectOk<RecordingStatus>('GET', `/api/events/${other.slug}/recording`);
    expect(await refusal(await withKey(keyOf(otherStatus)))).toMatchObject({
      status: 403,
      error: 'forbidden',
      message: 'This download link is for another event',
    });

    for (const token of [room.tokens.journalist, room.tokens.moderator, room.moderatorApi.bearer!]) {
      expect(await refusal(await withKey(token))).toMatchObject({
        status: 401,
        message: expect.stringContaining('Expected a recording download key'),
      });
    }
    // Even with the moderator's bearer token, a link is judged by its key.
    expect((await withKey(forged, { headers: { authorization: `Bearer ${room.moderatorApi.bearer}` } })).status).toBe(
      401,
    );
  });

  it('opens nothing but the recording: not the status, not another endpoint, not as a bearer token', async () => {
    const key = keyOf(await statusOf());
    expect((await withKey(key, {}, `/api/events/${slug}/recording`)).status).toBe(401);
    expect((await withKey(key, {}, `/api/events/${slug}/details`)).status).toBe(401);
    const asBearer = { headers: { authorization: `Bearer ${key}` } };
    for (const path of [`/api/events/${slug}/recording.mp4`, `/api/events/${slug}/recording`, '/api/events']) {
      const response = await fetch(server.url + path, asBearer);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
  });

  it('serves byte ranges, as players and download managers ask', async () => {
    const response = await asModerator({ range: 'bytes=100-1099' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 100-1099/${mp4.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(mp4.subarray(100, 1100))).toBe(true);
  });

  it('answers a range past the end with 416 and the size, as RFC 9110 asks', async () => {
    for (const range of [`bytes=${mp4.length}-`, `bytes=${mp4.length + 1000}-${mp4.length + 2000}`]) {
      const response = await asModerator({ range });
      expect({ range, status: response.status }).toEqual({ range, status: 416 });
      expect(response.headers.get('content-range')).toBe(`bytes */${mp4.length}`);
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
    // The last byte is still there.
    const last = await asModerator({ range: `bytes=${mp4.length - 1}-` });
    expect(last.status).toBe(206);
    expect(Buffer.from(await last.arrayBuffer()).equals(mp4.subarray(mp4.length - 1))).toBe(true);
  });

  it('is never compressed, whole or in ranges, whatever encodings the client accepts', async () => {
    const compressible = { 'accept-encoding': 'br, gzip, deflate' };
    const whole = await asModerator(compressible);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-encoding')).toBeNull();
    expect(whole.headers.get('content-length')).toBe(String(mp4.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(mp4)).toBe(true);
    const range = await asModerator({ ...compressible, range: 'bytes=100-1099' });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-encoding')).toBeNull();
    expect(range.headers.get('content-range')).toBe(`bytes 100-1099/${mp4.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(mp4.subarray(100, 1100))).toBe(true);
  });

  it('goes with the purge: 404, and the file is deleted', async () => {
    const { downloadUrl } = await statusOf();
    const file = join(broadcast.mediaDir, 'broadcasts', room.event.id, 'recording.mp4');
    expect(existsSync(file)).toBe(true);
    await room.moderatorApi.expectOk('PATCH', `/api/events/${slug}`, { retentionHours: 0 });
    await waitFor(async () => {
      const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
      return details.status === 'purged' ? details : undefined;
    }, 10_000);
    for (const path of ['recording.mp4', 'recording']) {
      const response = await asModerator({}, path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.json()).toMatchObject({ error: 'not_found', message: 'Recording not found' });
    }
    expect((await fetch(server.url + downloadUrl)).status).toBe(404);
    // The purge deletes the files once the event is marked purged.
    const dir = join(broadcast.mediaDir, 'broadcasts', room.event.id);
    await waitFor(async () => (existsSync(dir) ? undefined : true), 10_000);
  });

  it('purged while its MP4 is being made: the export is stopped before the files are deleted', async () => {
    const other = await openPressConference(server, { title: 'Budget 2026: purged early', retentionHours: 1 });
    const api = other.moderatorApi;
    let speaker: SpeakerOnAir | undefined;
    let exporting: number[] = [];
    try {
      await api.expectOk('POST', `/api/events/${other.event.slug}/start`);
      speaker = await putSpeakerOnAir(server, other.event.id);
      const broadcasts = server.app.get(BroadcastService);
      await waitFor(async () => (broadcasts.status(other.event.id)?.showing === 'speakers' ? true : undefined), 30_000);
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      await api.expectOk('POST', `/api/events/${other.event.slug}/end`);
      // The export starts once the ended slate closed the playlist; held still, it cannot finish meanwhile.
      exporting = await waitFor(
        async () => {
          const pids = ffmpegChildrenWith('work/recording-');
          return pids.length > 0 ? pids : undefined;
          // Looked for often: a few seconds of recording are remuxed in a fraction of a second.
        },
        60_000,
        5,
      );
      for (const pid of exporting) process.kill(pid, 'SIGSTOP');

      await api.expectOk('PATCH', `/api/events/${other.event.slug}`, { retentionHours: 0 });
      const dir = join(broadcast.mediaDir, 'broadcasts', other.event.id);
      await waitFor(async () => (existsSync(dir) ? undefined : true), 15_000);
      expect(exporting.filter(isRunning)).toEqual([]);
      expect(ffmpegChildrenWith('work/recording-')).toEqual([]);
    } finally {
      for (const pid of exporting.filter(isRunning)) process.kill(pid, 'SIGKILL');
      other.close();
      await speaker?.source.close();
    }
  }, 90_000);
});

/** The types of an MP4's top-level boxes, in order. */
function topLevelBoxes(file: Buffer): string[] {
  const boxes: string[] = [];
  for (let offset = 0; offset + 8 <= file.length;) {
    const size = file.readUInt32BE(offset);
    boxes.push(file.toString('latin1', offset + 4, offset + 8));
    const length = size === 1 ? Number(file.readBigUInt64BE(offset + 8)) : size === 0 ? file.length - offset : size;
    if (length < 8) break;
    offset += length;
  }
  return boxes;
}
