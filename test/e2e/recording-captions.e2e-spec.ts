import type { ActionReply, EventDetails, RecordingStatus, SpeakerInviteView } from '@pressroom/protocol';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebVTTParser } from 'webvtt-parser';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import { Api } from './harness/api';
import { startBroadcastServer, putSpeakerOnAir, type BroadcastTestServer } from './harness/broadcast-server';
import { mediaPlaylistOf } from './harness/hls';
import { LiveClient } from './harness/live-client';
import { ffprobe, waitFor } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import type { RtpSource } from './harness/rtp-source';
import type { TestServer } from './harness/server';

const run = promisify(execFile);

/** What the captioners send while the speaker is live, by language, a little apart. */
const LINES: Array<[language: 'es' | 'fr', text: string]> = [
  ['es', 'Buenos días a todos.'],
  ['fr', 'Bonjour à tous.'],
  ['es', 'Hoy presentamos el presupuesto <2026> & más.'],
  ['es', 'El déficit baja un punto.'],
  ['fr', 'Le déficit baisse d’un point.'],
];
/** How close a line's cue must start to when it was sent, in the recording's time (seconds). */
const WITHIN_SECONDS = 1.5;

interface Sent {
  language: string;
  text: string;
  /** When the server stored it (epoch ms). */
  at: number;
}

describe('recording with captions: a WebVTT file per language beside the MP4, subtitle streams in it', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let room: PressConference;
  let source: RtpSource | undefined;
  let captioners: Record<'es' | 'fr', LiveClient>;
  let slug: string;
  let status: RecordingStatus;
  let mp4File: string;
  /** The recording's 0 s: the program date-time of its first segment. */
  let zero: number;
  const sent: Sent[] = [];

  beforeAll(async () => {
    broadcast = await startBroadcastServer({ PURGE_INTERVAL_SECONDS: '1' });
    server = broadcast.server;
    room = await openPressConference(server, { title: 'Budget 2026: captions kept', retentionHours: 1 });
    slug = room.event.slug;
    const join = async (name: string, language: string) => {
      const invite = await room.moderatorApi.expectOk<SpeakerInviteView>('POST', `/api/events/${slug}/speakers`, {
        name,
        role: 'captioner',
        language,
      });
      const joined = await new Api(server.url).join(slug, { invite: invite.inviteToken });
      return LiveClient.connect(server.url, joined.accessToken);
    };
    captioners = { es: await join('Carla Captions', 'es'), fr: await join('Fanny Sous-titres', 'fr') };
  });

  afterAll(async () => {
    room?.close();
    Object.values(captioners ?? {}).forEach((client) => client.close());
    await source?.close();
    await broadcast?.close();
  });

  const asModerator = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${room.moderatorApi.bearer}` } });

  it('a captioner in each language sends lines while a speaker is live; after the end the recording is ready', async () => {
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    ({ source } = await putSpeakerOnAir(server, room.event.id));
    const broadcasts = server.app.get(BroadcastService);
    await waitFor(async () => (broadcasts.status(room.event.id)?.showing === 'speakers' ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const [language, text] of LINES) {
      const reply = (await captioners[language].send('caption:send', { text })) as ActionReply<'caption:send'>;
      if (!reply.ok) throw new Error(`caption:send: ${reply.error.message}`);
      sent.push({ language, text, at: Date.parse(reply.cue!.sentAt) });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);

    status = await waitFor(
      async () => {
        const response = await asModerator(`/api/events/${slug}/recording`);
        const body = (await response.json()) as RecordingStatus;
        return body.state === 'preparing' ? undefined : body;
      },
      90_000,
      500,
    );
    expect(status).toMatchObject({ state: 'ready' });
    expect(status.captions?.map(({ language, mp4Language }) => [language, mp4Language])).toEqual([
      ['es', 'spa'],
      ['fr', 'fra'],
    ]);
    for (const captions of status.captions!) {
      expect(captions.url).toMatch(
        new RegExp(`^/api/events/${slug}/recording/captions/${captions.language}\\.vtt\\?key=`),
      );
    }
    const mp4 = await fetch(server.url + status.downloadUrl);
    expect(mp4.status).toBe(200);
    mp4File = join(broadcast.work, 'recording.mp4');
    writeFileSync(mp4File, Buffer.from(await mp4.arrayBuffer()));

    // The recording's 0 s, as the broadcast's playlist says (the first segment whose middle is past the start).
    const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
    const startedAt = Date.parse(details.startedAt!);
    const playlist = await mediaPlaylistOf(`${server.url}/hls/${slug}`);
    zero = playlist.segments.find((s) => s.programDateTime + (s.duration * 1000) / 2 >= startedAt)!.programDateTime;
  });

  it('the MP4 holds one video, one audio and a subtitle stream per language, named in ISO 639-2', async () => {
    const probe = await ffprobe(mp4File);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio', 'subtitle', 'subtitle']);
    const subtitles = probe.streams.filter((s) => s.codec_type === 'subtitle');
    expect(subtitles.map((s) => [s.codec_name, (s.tags as Record<string, string>).language])).toEqual([
      ['mov_text', 'spa'],
      ['mov_text', 'fra'],
    ]);
    // Each stream holds its language's lines, as a player shows them.
    for (const [index, language] of ['es', 'fr'].entries()) {
      const vtt = join(broadcast.work, `from-mp4.${language}.vtt`);
      await run('ffmpeg', ['-v', 'error', '-y', '-i', mp4File, '-map', `0:s:${index}`, '-f', 'webvtt', vtt]);
      const parsed = new WebVTTParser().parse(readFileSync(vtt, 'utf8'), 'subtitles');
      expect(parsed.cues.map((cue) => shown(cue.text))).toEqual(linesOf(language).map((line) => line.text));
    }
  });

  it('each WebVTT file downloads with its key alone, parses, and holds the lines when they were sent', async () => {
    const duration = Number((await ffprobe(mp4File)).format.duration);
    for (const captions of status.captions!) {
      const response = await fetch(server.url + captions.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="${slug}-recording.${captions.language}.vtt"`,
      );
      const parsed = new WebVTTParser().parse(await response.text(), 'subtitles');
      expect(parsed.errors).toEqual([]);
      const lines = linesOf(captions.language);
      expect(parsed.cues.map((cue) => shown(cue.text))).toEqual(lines.map((line) => line.text));
      parsed.cues.forEach((cue, index) => {
        const expected = (lines[index]!.at - zero) / 1000;
        expect(Math.abs(cue.startTime - expected)).toBeLessThanOrEqual(WITHIN_SECONDS);
        expect(cue.endTime).toBeGreaterThan(cue.startTime);
        expect(cue.endTime - cue.startTime).toBeLessThanOrEqual(4.001);
        expect(cue.endTime).toBeLessThanOrEqual(duration + 0.1);
        const next = parsed.cues[index + 1];
        if (next) expect(cue.endTime).toBeLessThanOrEqual(next.startTime + 0.001);
      });
    }
  });

  it('is for moderators: the bearer token works, an audience token and no key are refused, unknown languages 404', async () => {
    const path = `/api/events/${slug}/recording/captions/es.vtt`;
    expect((await asModerator(path)).status).toBe(200);
    for (const role of ['viewer', 'journalist', 'speaker'] as const) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${room.tokens[role]}` },
      });
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
    }
    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    for (const file of ['de.vtt', 'es.srt', '..%2Frecording.mp4', 'Spanish.vtt']) {
      const response = await asModerator(`/api/events/${slug}/recording/captions/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 404 });
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    }
  });

  it('goes with the purge: 404, and the files are deleted', async () => {
    const dir = join(broadcast.mediaDir, 'broadcasts', room.event.id);
    for (const language of ['es', 'fr']) expect(existsSync(join(dir, `recording.${language}.vtt`))).toBe(true);
    await room.moderatorApi.expectOk('PATCH', `/api/events/${slug}`, { retentionHours: 0 });
    await waitFor(async () => {
      const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
      return details.status === 'purged' ? details : undefined;
    }, 10_000);
    for (const captions of status.captions!) {
      expect((await asModerator(captions.url.split('?')[0]!)).status).toBe(404);
    }
    await waitFor(async () => (existsSync(dir) ? undefined : true), 10_000);
  });

  const linesOf = (language: string) => sent.filter((line) => line.language === language);
});

/** A cue's text as shown: WebVTT's character references read. */
const shown = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
