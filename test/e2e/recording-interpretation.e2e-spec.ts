import type { ActionReply, EventDetails, RecordingStatus, SpeakerInviteView } from '@pressroom/protocol';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser as M3u8Parser } from 'm3u8-parser';
import { Api } from './harness/api';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { FLOOR_HZ, interpretedOnAir, toneLevel, VOICE_HZ } from './harness/interpretation';
import { LiveClient } from './harness/live-client';
import { fetchAgain, ffprobe, parsePlaylist, waitFor } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import type { RtpSource } from './harness/rtp-source';

/** The live window (the smallest allowed) and how long the event is live: well past the window and the deletion delay. */
const WINDOW_SECONDS = 6;
const LIVE_MS = 26_000;

jest.setTimeout(150_000);

describe('recording with interpretation: each language kept whole, in the ended index.m3u8 and as an MP4 audio track', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  const sources: RtpSource[] = [];
  let base: string;
  let slug: string;
  let mp4File: string;
  let captioner: LiveClient | undefined;

  const asModerator = (path: string) =>
    fetch(`${broadcast!.server.url}${path}`, { headers: { authorization: `Bearer ${room.moderatorApi.bearer}` } });

  beforeAll(async () => {
    broadcast = await startBroadcastServer({
      HLS_LADDER: '720',
      HLS_WINDOW_SECONDS: String(WINDOW_SECONDS),
      PURGE_INTERVAL_SECONDS: '1',
    });
    room = await openPressConference(broadcast.server, {
      title: 'Budget 2026: interpreted, recorded',
      retentionHours: 1,
    });
    slug = room.event.slug;
    base = `${broadcast.server.url}/hls/${slug}`;
    // A captioner too: the recording's subtitle stream comes after the audio tracks.
    const invite = await room.moderatorApi.expectOk<SpeakerInviteView>('POST', `/api/events/${slug}/speakers`, {
      name: 'Carla Captions',
      role: 'captioner',
      language: 'es',
    });
    const joined = await new Api(broadcast.server.url).join(slug, { invite: invite.inviteToken });
    captioner = await LiveClient.connect(broadcast.server.url, joined.accessToken);
    const { speaker, interpreter } = await interpretedOnAir(broadcast.server, room, 'fr');
    sources.push(speaker, interpreter);
  }, 60_000);

  afterAll(async () => {
    room?.close();
    captioner?.close();
    await Promise.all(sources.map((source) => source.close()));
    await broadcast?.close();
  });

  it('after the end, index.m3u8 still offers French, and audio-fr.m3u8 lists the whole event as v720.m3u8 does', async () => {
    await waitFor(async () => {
      const text = await (await fetchAgain(`${base}/audio-fr.m3u8`)).text();
      return text.includes('#EXTINF') ? true : undefined;
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, LIVE_MS / 2));
    const reply = (await captioner!.send('caption:send', { text: 'Buenos días.' })) as ActionReply<'caption:send'>;
    if (!reply.ok) throw new Error(`caption:send: ${reply.error.message}`);
    await new Promise((resolve) => setTimeout(resolve, LIVE_MS / 2));
    await room.moderatorApi.expectOk('POST', `/api/events/${slug}/end`);

    const [video, french] = await waitFor(async () => {
      const texts = await Promise.all(
        ['v720.m3u8', 'audio-fr.m3u8'].map(async (name) => (await fetchAgain(`${base}/${name}`)).text()),
      );
      return texts.every((text) => text.includes('#EXT-X-ENDLIST')) ? texts.map(parsePlaylist) : undefined;
    }, 30_000);
    // Longer than the live window and the deletion delay: the first segments would have gone.
    expect(video!.segments.length).toBeGreaterThan((WINDOW_SECONDS + 10) * 1.5);
    // The same stretch of time (an audio rendition cuts its segments at an AAC frame, a few ms off the video's).
    const span = (p: ReturnType<typeof parsePlaylist>) => [
      p.segments[0]!.programDateTime,
      p.segments.at(-1)!.programDateTime + p.segments.at(-1)!.duration * 1000,
    ];
    const [videoFrom, videoTo] = span(video!);
    const [frenchFrom, frenchTo] = span(french!);
    expect(Math.abs(frenchFrom! - videoFrom!)).toBeLessThan(100);
    expect(Math.abs(frenchTo! - videoTo!)).toBeLessThan(1_000);
    expect(Math.abs(french!.segments.length - video!.segments.length)).toBeLessThanOrEqual(2);
    for (const segment of [french!.segments[0]!, french!.segments.at(-1)!]) {
      const response = await fetchAgain(`${base}/${segment.uri}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }

    const manifest = await (await fetchAgain(`${base}/index.m3u8`)).text();
    const parser = new M3u8Parser();
    parser.push(manifest);
    parser.end();
    const parsed = parser.manifest as {
      playlists?: Array<{ uri: string; attributes: Record<string, unknown> }>;
      mediaGroups?: { AUDIO?: Record<string, Record<string, { uri?: string; language?: string; default?: boolean }>> };
    };
    expect(parsed.playlists?.map((p) => [p.uri, p.attributes.AUDIO])).toEqual([['v720.m3u8', 'aud']]);
    expect(parsed.mediaGroups?.AUDIO?.aud).toEqual({
      Floor: expect.objectContaining({ default: true }),
      Français: expect.objectContaining({ language: 'fr', default: false, uri: 'audio-fr.m3u8' }),
    });
  });

  it('the MP4 holds the video, the floor (default) and French (fra, "Interpretation: French") as audio tracks, then the captions', async () => {
    const status = await waitFor(
      async () => {
        const body = (await (await asModerator(`/api/events/${slug}/recording`)).json()) as RecordingStatus;
        return body.state === 'preparing' ? undefined : body;
      },
      90_000,
      500,
    );
    expect(status).toMatchObject({ state: 'ready' });
    const mp4 = await fetch(broadcast!.server.url + status.downloadUrl);
    expect(mp4.status).toBe(200);
    mp4File = join(broadcast!.work, 'recording.mp4');
    writeFileSync(mp4File, Buffer.from(await mp4.arrayBuffer()));

    const probe = await ffprobe(mp4File);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio', 'audio', 'subtitle']);
    expect((probe.streams[3]!.tags as Record<string, string>).language).toBe('spa');
    const audio = probe.streams
      .filter((s) => s.codec_type === 'audio')
      .map((s) => {
        const tags = s.tags as Record<string, string>;
        return [s.codec_name, tags.language, tags.handler_name, (s.disposition as Record<string, number>).default];
      });
    expect(audio).toEqual([
      ['aac', 'und', 'Floor', 1],
      ['aac', 'fra', 'Interpretation: French', 0],
    ]);
    // Both tracks last the whole recording (within a segment).
    const durations = probe.streams.slice(0, 3).map((s) => Number(s.duration));
    expect(Math.abs(durations[2]! - durations[0]!)).toBeLessThan(1.2);
    expect(Math.abs(durations[1]! - durations[0]!)).toBeLessThan(1.2);
    expect(durations[0]!).toBeGreaterThan(LIVE_MS / 1000 - 3);
  });

  it("the French track carries the interpreter's tone over the floor's, lowered; the default track only the floor", async () => {
    const levels = {
      floor: { floor: await toneLevel(mp4File, FLOOR_HZ, 0), voice: await toneLevel(mp4File, VOICE_HZ, 0) },
      french: { floor: await toneLevel(mp4File, FLOOR_HZ, 1), voice: await toneLevel(mp4File, VOICE_HZ, 1) },
    };
    console.log(`recording tone levels (dB): ${JSON.stringify(levels)}`);
    expect(levels.floor.floor).toBeGreaterThan(-35);
    expect(levels.floor.voice).toBeLessThan(levels.floor.floor - 30);
    expect(levels.french.voice).toBeGreaterThan(-35);
    expect(levels.french.floor).toBeLessThan(levels.floor.floor - 10);
  });

  it('goes with the purge: the interpretation files are deleted with the rest', async () => {
    const dir = join(broadcast!.mediaDir, 'broadcasts', room.event.id);
    expect(readdirSync(dir).filter((file) => file.includes('audio-fr')).length).toBeGreaterThan(10);
    await room.moderatorApi.expectOk('PATCH', `/api/events/${slug}`, { retentionHours: 0 });
    await waitFor(async () => {
      const details = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${slug}/details`);
      return details.status === 'purged' ? details : undefined;
    }, 10_000);
    await waitFor(async () => (existsSync(dir) ? undefined : true), 10_000);
    // Gone, as every file of a purged event.
    expect((await fetchAgain(`${base}/audio-fr.m3u8`)).status).toBe(410);
  });
});
