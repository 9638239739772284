import type { EventDetails, RecordingStatus, SpeakerInviteView } from '@pressroom/protocol';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from './harness/api';
import { putSpeakerOnAir, startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { filesUnder, findMarkers, modeOf, type MarkerHit } from './harness/disk-scan';
import { LiveClient } from './harness/live-client';
import { mediaPlaylistOf } from './harness/hls';
import { waitFor } from './harness/media';
import type { RtpSource } from './harness/rtp-source';
import type { TestServer } from './harness/server';

/**
 * One press conference, on air with a synthetic speaker, whose every name, outlet, chat message,
 * question (one of them shown as the broadcast's lower third) and hand topic is a unique marker; then
 * the purge, after which no file of the server holds any of them.
 */
describe('purge: nothing of an event is left on disk, and everyone listening learns it is purged', () => {
  const tag = randomBytes(4).toString('hex');
  const marker = (what: string) => `PRM${tag}${what}`;
  const MARKERS = {
    speakerName: marker('SpeakerName'),
    journalistName: marker('JournalistNäme'),
    journalistOutlet: marker('Outlet'),
    viewerName: marker('ViewerName'),
    chatJournalist: marker('ChatFromJournalist'),
    chatViewer: marker('ChatFromViewer'),
    chatHidden: marker('ChatHidden'),
    questionOnAir: marker('QuestionOnAir'),
    questionRejected: marker('QuestionRejected'),
    questionBeforeEdit: marker('QuestionBeforeEdit'),
    questionAfterEdit: marker('QuestionAfterEdit'),
    handTopic: marker('HandTopic'),
    captionerName: marker('CaptionerName'),
    caption: marker('CaptionLine'),
    captionInterim: marker('CaptionInterim'),
  };
  const ALL = Object.values(MARKERS);

  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let source: RtpSource | undefined;
  let moderatorApi: Api;
  let event: EventDetails;
  let clients: {
    moderator: LiveClient;
    speaker: LiveClient;
    journalist: LiveClient;
    viewer: LiveClient;
    captioner: LiveClient;
  };
  /** Where the server keeps what it stores: the database (with its -wal and -shm) and MEDIA_DIR. */
  let dirs: string[];
  const eventDir = () => join(broadcast.mediaDir, 'broadcasts', event.id);
  const scan = () => findMarkers(dirs, ALL);

  beforeAll(async () => {
    broadcast = await startBroadcastServer({ PURGE_INTERVAL_SECONDS: '1' });
    server = broadcast.server;
    dirs = [server.dataDir, broadcast.mediaDir];
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({ title: 'Budget 2026: the purge', retentionHours: 1 });
    const invite = await moderatorApi.inviteSpeaker(event.slug, MARKERS.speakerName);
    const captionerInvite = await moderatorApi.expectOk<SpeakerInviteView>(
      'POST',
      `/api/events/${event.slug}/speakers`,
      {
        name: MARKERS.captionerName,
        role: 'captioner',
        language: 'es',
      },
    );
    const audience = new Api(server.url);
    const tokens = {
      moderator: (await moderatorApi.join(event.slug)).accessToken,
      speaker: (await audience.join(event.slug, { invite: invite.inviteToken })).accessToken,
      journalist: (await audience.join(event.slug, { name: MARKERS.journalistName, outlet: MARKERS.journalistOutlet }))
        .accessToken,
      viewer: (await audience.join(event.slug, { name: MARKERS.viewerName })).accessToken,
      captioner: (await audience.join(event.slug, { invite: captionerInvite.inviteToken })).accessToken,
    };
    const [moderator, speaker, journalist, viewer, captioner] = await Promise.all(
      Object.values(tokens).map((token) => LiveClient.connect(server.url, token)),
    );
    clients = {
      moderator: moderator!,
      speaker: speaker!,
      journalist: journalist!,
      viewer: viewer!,
      captioner: captioner!,
    };
  });

  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.close();
    await source?.close();
    await broadcast?.close();
  });

  it('the event runs on air: every marker is stored, one question is the lower third', async () => {
    const { moderator, speaker, journalist, viewer } = clients;
    expect(await speaker.send('studio:join', {})).toMatchObject({ ok: true });
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
    ({ source } = await putSpeakerOnAir(server, event.id, undefined, MARKERS.speakerName));

    const ask = async (text: string) => {
      const asked = await journalist.send('question:ask', { text });
      if (!asked.ok) throw new Error(asked.error.message);
      return asked.question.id;
    };
    const onAir = await ask(MARKERS.questionOnAir);
    const rejected = await ask(MARKERS.questionRejected);
    const edited = await ask(MARKERS.questionBeforeEdit);
    expect(await moderator.send('question:approve', { questionId: onAir })).toEqual({ ok: true });
    expect(await viewer.send('question:vote', { questionId: onAir })).toMatchObject({ ok: true });
    expect(await moderator.send('question:reject', { questionId: rejected })).toEqual({ ok: true });
    expect(await moderator.send('question:edit', { questionId: edited, text: MARKERS.questionAfterEdit })).toEqual({
      ok: true,
    });
    expect(await journalist.send('chat:send', { text: MARKERS.chatJournalist })).toMatchObject({ ok: true });
    expect(await viewer.send('chat:send', { text: MARKERS.chatViewer })).toMatchObject({ ok: true });
    const hidden = await viewer.send('chat:send', { text: MARKERS.chatHidden });
    if (!hidden.ok) throw new Error(hidden.error.message);
    expect(await moderator.send('chat:hide', { messageId: hidden.message.id })).toEqual({ ok: true });
    expect(await journalist.send('hand:raise', { topic: MARKERS.handTopic })).toMatchObject({ ok: true });
    expect(await moderator.send('user:mute', { participantId: viewer.state.me.participantId, muted: true })).toEqual({
      ok: true,
    });
    expect(await moderator.send('question:onAir', { questionId: onAir })).toEqual({ ok: true });
    // A captioner's line (kept as a cue, and in the broadcast's subtitles) and text they were typing (relayed only).
    const { captioner } = clients;
    expect(await captioner.send('caption:send', { text: MARKERS.captionInterim, interim: true })).toMatchObject({
      ok: true,
    });
    expect(await captioner.send('caption:send', { text: MARKERS.caption })).toMatchObject({ ok: true });

    // The speaker on air for a few segments, the question in the lower third FFmpeg reads from a file.
    await waitFor(async () => {
      const playlist = await mediaPlaylistOf(`${server.url}/hls/${event.slug}`);
      const lowerThird = new Set(
        findMarkers([eventDir()], [MARKERS.questionOnAir, MARKERS.journalistName]).map((hit) => hit.marker),
      );
      return playlist.segments.filter((s) => s.run === playlist.lastRun).length >= 3 && lowerThird.size === 2
        ? true
        : undefined;
    }, 30_000);
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/end`);
    const recording = await waitFor(
      async () => {
        const status = await moderatorApi.expectOk<RecordingStatus>('GET', `/api/events/${event.slug}/recording`);
        return status.state === 'preparing' ? undefined : status;
      },
      90_000,
      500,
    );
    expect(recording.state).toBe('ready');
    expect(existsSync(join(eventDir(), 'recording.mp4'))).toBe(true);

    // The scan sees what is there: every marker is somewhere in the database's files (but the text a
    // moderator edited away, overwritten already once the write-ahead log was checkpointed).
    const found = new Set(scan().map((hit) => hit.marker));
    // Interim caption text is never stored.
    expect(found.has(MARKERS.captionInterim)).toBe(false);
    expect(
      ALL.filter((m) => !found.has(m) && m !== MARKERS.questionBeforeEdit && m !== MARKERS.captionInterim),
    ).toEqual([]);
  }, 180_000);

  it('stores the database for the service user only (0600) and MEDIA_DIR and the folders in it 0700', () => {
    const database = join(server.dataDir, 'pressroom.sqlite');
    for (const file of [database, `${database}-wal`, `${database}-shm`]) {
      expect({ file, mode: modeOf(file).toString(8) }).toEqual({ file, mode: '600' });
    }
    const folders = [broadcast.mediaDir, join(broadcast.mediaDir, 'broadcasts'), eventDir(), join(eventDir(), 'work')];
    for (const folder of folders) {
      expect({ folder, mode: modeOf(folder).toString(8) }).toEqual({ folder, mode: '700' });
    }
  });

  it('everyone listening learns the event is purged: its clients, then let go; the broadcast, which deletes its files', async () => {
    const purged = (client: LiveClient) =>
      client.next('event:status', (p) => p.status === 'purged', { timeoutMs: 15_000 });
    const seen = [clients.moderator, clients.speaker, clients.journalist].map(purged);
    const disconnected = new Promise((resolve) => clients.journalist.socket.once('disconnect', resolve));
    await moderatorApi.expectOk('PATCH', `/api/events/${event.slug}`, { retentionHours: 0 });

    // What a client sees: the event's new status, then the end of its connection.
    const [status] = await Promise.all([...seen, disconnected]);
    expect(status).toMatchObject({ status: 'purged', event: { slug: event.slug, status: 'purged' } });
    expect(clients.journalist.received.map((r) => r.name).slice(-1)).toEqual(['event:status']);

    // The broadcast's part: its files go (HLS, MP4, the lower third's text), and the stream is gone.
    await waitFor(async () => (existsSync(eventDir()) ? undefined : true), 15_000);
    expect((await fetch(`${server.url}/hls/${event.slug}/index.m3u8`)).status).toBe(410);
  });

  it('after the purge, no file under the data directory or MEDIA_DIR holds any marker (UTF-8 or UTF-16LE)', async () => {
    await waitFor(async () => {
      const details = await moderatorApi.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`);
      return details.status === 'purged' ? details : undefined;
    }, 15_000);
    let left: MarkerHit[] = [];
    await waitFor(
      async () => {
        left = scan();
        return left.length === 0 ? true : undefined;
      },
      15_000,
      500,
    ).catch(() => undefined);
    expect(left.map(({ marker, file, encoding }) => `${marker} in ${file} (${encoding})`)).toEqual([]);
    await waitFor(async () => (filesUnder(broadcast.mediaDir).length === 0 ? true : undefined), 15_000);
  });
});
