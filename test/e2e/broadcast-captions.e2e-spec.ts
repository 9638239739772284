import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import { Parser as M3u8Parser } from 'm3u8-parser';
import { WebVTTParser } from 'webvtt-parser';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import {
  putSpeakerOnAir,
  startBroadcastServer,
  type BroadcastTestServer,
  type SpeakerOnAir,
} from './harness/broadcast-server';
import { downloadSegment, fetchAgain, packetTimes, parsePlaylist, waitFor, type Playlist } from './harness/media';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { openPressConference, type PressConference } from './harness/press-conference';

/** The lines the captioner sends, one every 1.2 s. */
const LINES = [
  'Good morning, and thank you for coming.',
  'The budget for 2026 grows by 3 %.',
  'Schools & hospitals get <most> of it.',
  'We will take your questions now.',
  'First, El País.',
];
const HEADER_ERROR = 'No blank line after the signature.';

interface SentLine {
  text: string;
  sentAt: number;
}

/** A cue as a player places it: its text and where it starts on the video's program date-time. */
interface PlacedCue {
  text: string;
  id: string;
  programTime: number;
  segment: string;
}

/** A loaded machine may encode slower than real time for a while: the waits are generous. */
jest.setTimeout(90_000);

describe('captions: each caption language is a WebVTT subtitles rendition of the broadcast', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  let speaker: SpeakerOnAir | undefined;
  let base: string;
  let eventId: string;
  let captioner: LiveClient | undefined;
  const sent: SentLine[] = [];

  /** A crew member invited by the moderator and joined with the invite, connected to /live. */
  async function joinCrew(name: string, role: string, language: string): Promise<LiveClient> {
    const invited = await room.moderatorApi.request<{ inviteToken: string }>(
      'POST',
      `/api/events/${room.event.slug}/speakers`,
      { name, role, language },
    );
    expect(invited.status).toBe(201);
    const joined = await new Api(broadcast!.server.url).join(room.event.slug, { invite: invited.body.inviteToken });
    return LiveClient.connect(broadcast!.server.url, joined.accessToken);
  }

  beforeAll(async () => {
    broadcast = await startBroadcastServer();
    room = await openPressConference(broadcast.server, { title: 'Budget 2026: captions' });
    eventId = room.event.id;
    base = `${broadcast.server.url}/hls/${room.event.slug}`;
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    speaker = await putSpeakerOnAir(broadcast.server, eventId);
    captioner = await joinCrew('Carla Captions', 'captioner', 'es');
    await waitFor(async () => {
      const playlist = parsePlaylist(await (await fetchAgain(`${base}/v720.m3u8`)).text());
      return playlist.segments.length >= 4 ? true : undefined;
    }, 40_000);
  });

  afterAll(async () => {
    room?.close();
    captioner?.close();
    await speaker?.source.close();
    await broadcast?.close();
  });

  const service = () => broadcast!.server.app.get(BroadcastService);
  const text = async (name: string) => {
    const response = await fetchAgain(`${base}/${name}`);
    expect(response.status).toBe(200);
    return response.text();
  };

  it('a captioner sends five lines while the speaker is live: the multivariant playlist lists the language', async () => {
    // Invited in Spanish: the rendition is listed before the first line.
    const manifest = await waitFor(async () => {
      const body = await text('index.m3u8');
      return body.includes('subs-es.m3u8') ? body : undefined;
    }, 10_000);
    for (const line of LINES) {
      const reply = await captioner!.send('caption:send', { text: line });
      if (!reply.ok) throw new Error(`caption:send: ${reply.error.message}`);
      sent.push({ text: line, sentAt: Date.parse(reply.cue!.sentAt) });
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    }

    const warnings: unknown[] = [];
    const parser = new M3u8Parser();
    parser.on('warn', (warning: unknown) => warnings.push(warning));
    parser.push(manifest);
    parser.end();
    expect(warnings).toEqual([]);
    const groups = (parser.manifest as { mediaGroups?: Record<string, Record<string, Record<string, unknown>>> })
      .mediaGroups;
    expect(groups?.SUBTITLES?.subs).toEqual({
      Español: expect.objectContaining({ language: 'es', default: false, autoselect: true, uri: 'subs-es.m3u8' }),
    });
    for (const playlist of parser.manifest.playlists ?? []) {
      expect(playlist.attributes).toMatchObject({ SUBTITLES: 'subs' });
    }

    HLS.setOptions({ strictMode: true });
    const errors = jest.spyOn(console, 'error');
    const warns = jest.spyOn(console, 'warn');
    try {
      const parsed = HLS.parse(manifest) as HLS.types.MasterPlaylist;
      expect(parsed.isMasterPlaylist).toBe(true);
      const subtitles = parsed.variants[0]!.subtitles;
      expect(subtitles).toEqual([
        expect.objectContaining({
          type: 'SUBTITLES',
          groupId: 'subs',
          language: 'es',
          name: 'Español',
          uri: 'subs-es.m3u8',
        }),
      ]);
      for (const variant of parsed.variants) expect(variant.subtitles).toHaveLength(1);
      expect(errors).not.toHaveBeenCalled();
      expect(warns).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      warns.mockRestore();
      HLS.setOptions({ strictMode: false });
    }
  });

  it('the WebVTT playlist follows the video: same target duration, same segments and program date-times, a window', async () => {
    const last = sent[sent.length - 1]!.sentAt;
    const [subs, video] = await waitFor(async () => {
      const s = parsePlaylist(await text('subs-es.m3u8'));
      const v = parsePlaylist(await text('v720.m3u8'));
      const end = s.segments.at(-1);
      return end && end.programDateTime + end.duration * 1000 > last + 1_000 ? ([s, v] as const) : undefined;
    }, 45_000);
    const response = await fetch(`${base}/subs-es.m3u8`);
    expect(response.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
    expect(subs.targetDuration).toBe(video.targetDuration);
    expect(subs.ended).toBe(false);
    expect(subs.text).not.toContain('#EXT-X-PLAYLIST-TYPE');
    expect(subs.text).not.toContain('#EXT-X-MAP');
    const videoByTime = new Map(video.segments.map((s) => [s.programDateTime, s]));
    let matched = 0;
    for (const segment of subs.segments) {
      expect(segment.uri).toMatch(/^r\d+-subs-es-\d{5}\.vtt$/);
      const twin = videoByTime.get(segment.programDateTime);
      if (!twin) continue;
      matched++;
      expect(segment.duration).toBeCloseTo(twin.duration, 5);
      expect(segment.uri.replace('-subs-es-', '-v720-').replace('.vtt', '.m4s')).toBe(twin.uri);
    }
    expect(matched).toBeGreaterThanOrEqual(10);
    // HLS_WINDOW_SECONDS: the test server's window, at most the video's length.
    const seconds = (p: Playlist) => p.segments.reduce((total, s) => total + s.duration, 0);
    expect(seconds(subs)).toBeLessThanOrEqual(seconds(video) + 1);
  });

  it("its WebVTT segments parse and hold the five lines, timed within 1 s of when they were sent on the video's program date-time", async () => {
    const last = sent[sent.length - 1]!.sentAt;
    const subs = await waitFor(async () => {
      const s = parsePlaylist(await text('subs-es.m3u8'));
      const end = s.segments.at(-1);
      return end && end.programDateTime + end.duration * 1000 > last + 1_000 ? s : undefined;
    }, 45_000);
    const video = parsePlaylist(await text('v720.m3u8'));
    const placed: PlacedCue[] = [];
    /** Where each checked video segment starts on its media timeline, read by ffprobe. */
    const videoStart = new Map<string, number>();
    for (const segment of subs.segments) {
      const response = await fetch(`${base}/${segment.uri}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
      const body = await response.text();
      const lines = body.split('\n');
      expect(lines[0]).toBe('WEBVTT');
      const map = /^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:(\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(lines[1]!);
      expect(map).not.toBeNull();
      const mpegts = Number(map![1]) / 90_000;
      const local = Number(map![2]) * 3600 + Number(map![3]) * 60 + Number(map![4]) + Number(map![5]) / 1000;
      const parsed = new WebVTTParser().parse(body, 'subtitles');
      // RFC 8216 puts X-TIMESTAMP-MAP in the header, which the W3C validator's older grammar does not know.
      expect(
        parsed.errors.map((e: { message: string }) => e.message).filter((m: string) => m !== HEADER_ERROR),
      ).toEqual([]);
      if (parsed.cues.length === 0) continue;
      // The video segment it goes with: MPEGTS is where that segment starts on the video's media timeline.
      const twin = video.segments.find((v) => v.programDateTime === segment.programDateTime);
      let start = twin ? videoStart.get(twin.uri) : undefined;
      if (twin && start === undefined) {
        const file = await downloadSegment(base, twin, join(broadcast!.work, `${twin.uri}.mp4`));
        start = (await packetTimes(file)).video[0]!;
        videoStart.set(twin.uri, start);
      }
      if (start !== undefined) expect(Math.abs(mpegts - start)).toBeLessThan(0.05);
      for (const cue of parsed.cues as Array<{ id: string; startTime: number; text: string }>) {
        // On the picture: LOCAL is the segment's start, which shows at its program date-time.
        placed.push({
          text: cue.text,
          id: cue.id,
          programTime: segment.programDateTime + (cue.startTime - local) * 1000,
          segment: segment.uri,
        });
      }
    }
    for (const line of sent) {
      const escaped = line.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const cues = placed.filter((cue) => cue.text === escaped);
      expect(cues.length).toBeGreaterThanOrEqual(1);
      // The same cue (same id, same times) in each segment it spans.
      expect(new Set(cues.map((cue) => cue.id)).size).toBe(1);
      for (const cue of cues) expect(Math.abs(cue.programTime - line.sentAt)).toBeLessThan(1_000);
      const spread = Math.max(...cues.map((c) => c.programTime)) - Math.min(...cues.map((c) => c.programTime));
      expect(spread).toBeLessThan(5);
    }
    console.log(
      `cue offsets from sending (ms): ${sent
        .map((line) => {
          const escaped = line.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
          return Math.round(placed.find((cue) => cue.text === escaped)!.programTime - line.sentAt);
        })
        .join(', ')}`,
    );
  });

  it('a second language gets its own rendition; bad names are not found', async () => {
    service().addCaption(eventId, {
      id: randomUUID(),
      language: 'fr',
      participantId: randomUUID(),
      text: 'Bonjour.',
      sentAt: new Date().toISOString(),
    });
    const manifest = await waitFor(async () => {
      const body = await text('index.m3u8');
      return body.includes('subs-fr.m3u8') ? body : undefined;
    }, 10_000);
    expect(manifest.indexOf('LANGUAGE="es"')).toBeLessThan(manifest.indexOf('LANGUAGE="fr"'));
    expect(manifest).toContain('NAME="Français"');
    expect(parsePlaylist(await text('subs-fr.m3u8')).segments.length).toBeGreaterThan(0);
    for (const name of [
      'subs-xx_1.m3u8',
      'subs-es.vtt',
      'r1-subs-es-1.vtt',
      'subs-../index.m3u8',
      'work%2Fsubs-es.m3u8',
    ]) {
      expect((await fetchAgain(`${base}/${encodeURIComponent(name)}`)).status).toBe(404);
    }
  });
});
