import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  aRole,
  type CaptionCueView,
  type CrewMemberView,
  type EventDetails,
  type SpeakerInviteView,
  type StudioPeerInfo,
  type Transcript,
} from '@pressroom/protocol';
import { CaptionsService } from '../../apps/api/src/captions/captions.service';
import { StudioService } from '../../apps/api/src/studio/studio.service';
import { Api } from './harness/api';
import { ok, opusParameters, sendTransport, vp8Parameters } from './harness/guest';
import { LiveClient } from './harness/live-client';
import { openPressConference, staysSilent, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

async function refused(client: LiveClient, action: Parameters<LiveClient['send']>[0], request: unknown) {
  const reply = await client.send(action, request);
  if (reply.ok) throw new Error(`${action} was accepted`);
  return reply.error;
}

const microphone = (transportId: string, ssrc: number) => ({
  transportId,
  kind: 'audio',
  rtpParameters: opusParameters(ssrc),
  source: 'microphone',
});
const camera = (transportId: string, ssrc: number) => ({
  transportId,
  kind: 'video',
  rtpParameters: vp8Parameters(ssrc),
  source: 'camera',
});

describe('crew: captioners, interpreters and signers invited, joined, checked', () => {
  let server: TestServer;
  let room: PressConference;
  let crew: { captioner: LiveClient; interpreter: LiveClient; signer: LiveClient };
  let invites: { captioner: SpeakerInviteView; interpreter: SpeakerInviteView; signer: SpeakerInviteView };

  beforeAll(async () => (server = await startServer({ PURGE_INTERVAL_SECONDS: '1' })));
  afterAll(() => server.close());

  async function invite(body: Record<string, unknown>) {
    return room.moderatorApi.request<SpeakerInviteView & { error?: string; message?: string }>(
      'POST',
      `/api/events/${room.event.slug}/speakers`,
      body,
    );
  }

  async function joinCrew(view: SpeakerInviteView): Promise<LiveClient> {
    const joined = await new Api(server.url).join(room.event.slug, { invite: view.inviteToken });
    expect([joined.role, joined.language ?? null]).toEqual([view.role, view.language]);
    return LiveClient.connect(server.url, joined.accessToken);
  }

  beforeEach(async () => {
    room = await openPressConference(server, { retentionHours: 0 });
    invites = {
      captioner: (await invite({ name: 'Carla Captions', role: 'captioner', language: 'es' })).body,
      interpreter: (await invite({ name: 'Ines Interpreter', role: 'interpreter', language: 'fr' })).body,
      signer: (await invite({ name: 'Sigrid Signer', role: 'signer' })).body,
    };
    crew = {
      captioner: await joinCrew(invites.captioner),
      interpreter: await joinCrew(invites.interpreter),
      signer: await joinCrew(invites.signer),
    };
  });
  afterEach(() => {
    room.close();
    Object.values(crew).forEach((client) => client.close());
  });

  it('invites carry role and language; bad combinations get a clear 400 and store nothing', async () => {
    expect(invites.captioner).toMatchObject({ name: 'Carla Captions', role: 'captioner', language: 'es' });
    expect(invites.signer).toMatchObject({ role: 'signer', language: null });
    expect((await invite({ name: 'Plain speaker' })).body).toMatchObject({ role: 'speaker', language: null });

    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'No language', role: 'captioner' }, /captioner needs a language/],
      [{ name: 'No language', role: 'interpreter' }, /interpreter needs a language/],
      [{ name: 'Signer', role: 'signer', language: 'es' }, /signer works in no particular language/],
      [{ name: 'Speaker', language: 'es' }, /speaker works in no particular language/],
      [{ name: 'Bad tag', role: 'captioner', language: 'Spanish' }, /language must be a BCP 47 language tag/],
      [{ name: 'Bad tag', role: 'captioner', language: 'es_ES' }, /BCP 47/],
      [{ name: 'Bad tag', role: 'captioner', language: 7 }, /BCP 47/],
      [{ name: 'Odd role', role: 'cameraman' }, /role must be one of: speaker, captioner, interpreter, signer/],
      [{ name: 'Odd role', role: 'moderator' }, /role must be one of/],
    ];
    for (const [body, message] of cases) {
      const reply = await invite(body);
      expect({ body, status: reply.status, error: reply.body.error }).toEqual({
        body,
        status: 400,
        error: 'bad_request',
      });
      expect(reply.body.message).toMatch(message);
    }
    const listed = await room.moderatorApi.expectOk<SpeakerInviteView[]>(
      'GET',
      `/api/events/${room.event.slug}/speakers`,
    );
    expect(listed.map((i) => [i.name, i.role, i.language])).toEqual([
      ['Minister Ruiz', 'speaker', null],
      ['Carla Captions', 'captioner', 'es'],
      ['Ines Interpreter', 'interpreter', 'fr'],
      ['Sigrid Signer', 'signer', null],
      ['Plain speaker', 'speaker', null],
    ]);
    expect(crew.captioner.state.me).toMatchObject({ role: 'captioner', name: 'Carla Captions' });
  });

  it('only captioners send captions: a final line is a stored cue the moderators get; interim text is only relayed', async () => {
    const cue = room.moderator.next('caption:cue');
    const sent = await ok(crew.captioner, 'caption:send', { text: '  Buenos días a todos.  ' });
    expect(sent.cue).toMatchObject({ language: 'es', text: 'Buenos días a todos.' });
    expect(Math.abs(Date.parse(sent.cue!.sentAt) - Date.now())).toBeLessThan(5000);
    expect(await cue).toEqual(sent.cue);

    const interim = room.moderator.next('caption:interim');
    expect(await ok(crew.captioner, 'caption:send', { text: 'Hoy hablamos', interim: true })).toEqual({
      ok: true,
      cue: null,
    });
    expect(await interim).toMatchObject({ language: 'es', text: 'Hoy hablamos' });
    expect(await ok(crew.captioner, 'caption:send', { text: '', interim: true })).toMatchObject({ cue: null });

    expect(await refused(crew.captioner, 'caption:send', { text: '   ' })).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/caption line needs text/),
    });
    for (const other of [room.speaker, room.moderator, room.journalist, crew.interpreter, crew.signer]) {
      expect(await refused(other, 'caption:send', { text: 'Not mine to send' })).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(/cannot caption:send/),
      });
    }
    // Nobody but moderators hears of captions on /live (the audience gets them in the HLS).
    expect(await staysSilent(room.viewer, 'caption:cue', () => true)).toBe(true);
    expect(room.speaker.all('caption:interim')).toEqual([]);

    const stored = await server.app.get(CaptionsService).transcript(room.event.id);
    expect(stored.map((c) => c.text)).toEqual(['Buenos días a todos.']);
    // A moderator who (re)connects gets the cues in `state`.
    const again = await LiveClient.connect(server.url, room.tokens.moderator);
    expect(again.state.captions?.map((c) => c.text)).toEqual(['Buenos días a todos.']);
    again.close();
    expect(room.viewer.state.captions).toBeUndefined();
  });

  it('the in-process observer gives each cue as it is sent (the broadcast subtitles from it)', async () => {
    const captions = server.app.get(CaptionsService);
    const seen: Array<[string, CaptionCueView]> = [];
    const listener = (eventId: string, cue: CaptionCueView) => seen.push([eventId, cue]);
    captions.observer.on('cue', listener);
    try {
      await ok(crew.captioner, 'caption:send', { text: 'Primera línea.' });
      await ok(crew.captioner, 'caption:send', { text: 'Segunda', interim: true });
    } finally {
      captions.observer.off('cue', listener);
    }
    expect(seen).toEqual([[room.event.id, expect.objectContaining({ text: 'Primera línea.', language: 'es' })]]);
  });

  it('crew cannot moderate, and each crew role publishes only what it is for', async () => {
    const asked = await ok(room.journalist, 'question:ask', { text: 'A question for the minister?' });
    for (const member of Object.values(crew)) {
      for (const [action, request] of [
        ['question:approve', { questionId: asked.question.id }],
        ['user:ban', { participantId: room.journalist.state.me.participantId }],
        ['hand:ack', { handId: asked.question.id }],
        ['stage:invite', { handId: asked.question.id }],
        ['chat:approve', { messageId: asked.question.id }],
      ] as const) {
        expect(await refused(member, action, request)).toMatchObject({
          code: 'forbidden',
          message: `${aRole(member.state.me.role)} cannot ${action}`,
        });
      }
    }

    // The captioner joins the studio to hear it, and may publish nothing at all.
    await ok(crew.captioner, 'studio:join', {});
    expect(await refused(crew.captioner, 'studio:produce', microphone('x', 1))).toMatchObject({
      code: 'forbidden',
      message: 'A captioner cannot studio:produce',
    });

    const interpreterTransport = await sendTransport(crew.interpreter);
    expect(await refused(crew.interpreter, 'studio:produce', camera(interpreterTransport, 11))).toMatchObject({
      code: 'forbidden',
      message: 'An interpreter may publish a microphone only, not a camera',
    });
    expect(
      await refused(crew.interpreter, 'studio:produce', { ...camera(interpreterTransport, 12), source: 'screen' }),
    ).toMatchObject({ code: 'forbidden' });
    const voice = await ok(crew.interpreter, 'studio:produce', microphone(interpreterTransport, 13));

    const signerTransport = await sendTransport(crew.signer);
    expect(await refused(crew.signer, 'studio:produce', microphone(signerTransport, 21))).toMatchObject({
      code: 'forbidden',
      message: 'A signer may publish a camera only, not a microphone',
    });
    await ok(crew.signer, 'studio:produce', camera(signerTransport, 22));

    // Speakers publish as before; the floor (what the broadcast composes) is theirs alone.
    const speakerTransport = await sendTransport(room.speaker);
    await ok(room.speaker, 'studio:produce', microphone(speakerTransport, 31));
    const studioRoom = (await server.app.get(StudioService).existingRoom(room.event.id))!;
    expect(studioRoom.tracks().map((t) => [t.speakerName, t.kind, t.role])).toEqual([
      ['Minister Ruiz', 'audio', 'speaker'],
    ]);
    expect(
      studioRoom
        .crewTracks()
        .map((t) => [t.speakerName, t.kind, t.source, t.role, t.language])
        .sort(),
    ).toEqual([
      ['Ines Interpreter', 'audio', 'microphone', 'interpreter', 'fr'],
      ['Sigrid Signer', 'video', 'camera', 'signer', null],
    ]);

    // Studio peers carry role and language; an interpreter's voice is not for the floor's ears.
    const { peers } = await ok(room.moderator, 'studio:join', {});
    const byName = (name: string) => peers.find((p: StudioPeerInfo) => p.name === name);
    expect(byName('Ines Interpreter')).toMatchObject({ role: 'interpreter', language: 'fr' });
    expect(byName('Carla Captions')).toMatchObject({ role: 'captioner', language: 'es', producers: [] });
    expect(byName('Sigrid Signer')).toMatchObject({ role: 'signer', language: null });
    const { transport: recv } = await ok(room.speaker, 'studio:createTransport', { direction: 'recv' });
    const rtpCapabilities = (await ok(crew.captioner, 'studio:join', {})).routerRtpCapabilities;
    expect(
      await refused(room.speaker, 'studio:consume', {
        transportId: recv.id,
        producerId: voice.producerId,
        rtpCapabilities,
      }),
    ).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/interpreter's voice/) });
    const { transport: moderatorRecv } = await ok(room.moderator, 'studio:createTransport', { direction: 'recv' });
    await ok(room.moderator, 'studio:consume', {
      transportId: moderatorRecv.id,
      producerId: voice.producerId,
      rtpCapabilities,
    });
  });

  it("moderators see the crew's state: offline, connected, sending, silent", async () => {
    const stateOf = (list: CrewMemberView[] | undefined) =>
      Object.fromEntries((list ?? []).map((m) => [m.name, [m.role, m.language, m.state]]));
    // The moderator connected before the crew was invited: a new connection's `state` has them all.
    const again = await LiveClient.connect(server.url, room.tokens.moderator);
    expect(stateOf(again.state.crew)).toEqual({
      'Carla Captions': ['captioner', 'es', 'connected'],
      'Ines Interpreter': ['interpreter', 'fr', 'connected'],
      'Sigrid Signer': ['signer', null, 'connected'],
    });
    again.close();
    expect(room.viewer.state.crew).toBeUndefined();

    const sending = room.moderator.next('crew:changed', ({ crew: list }) =>
      list.some((m) => m.role === 'captioner' && m.state === 'sending'),
    );
    await ok(crew.captioner, 'caption:send', { text: 'Hola.' });
    await sending;

    const transport = await sendTransport(crew.interpreter);
    const interpreterSending = room.moderator.next('crew:changed', ({ crew: list }) =>
      list.some((m) => m.role === 'interpreter' && m.state === 'sending'),
    );
    const { producerId } = await ok(crew.interpreter, 'studio:produce', microphone(transport, 41));
    await interpreterSending;
    const interpreterSilent = room.moderator.next('crew:changed', ({ crew: list }) =>
      list.some((m) => m.role === 'interpreter' && m.state === 'silent'),
    );
    await ok(crew.interpreter, 'studio:pauseProducer', { producerId });
    await interpreterSilent;

    const signerOffline = room.moderator.next('crew:changed', ({ crew: list }) =>
      list.some((m) => m.role === 'signer' && m.state === 'offline'),
    );
    crew.signer.close();
    await signerOffline;

    // A new crew invite shows at once, offline; a revoked one goes.
    const added = room.moderator.next('crew:changed', ({ crew: list }) => list.some((m) => m.name === 'Otto Other'));
    const other = await invite({ name: 'Otto Other', role: 'interpreter', language: 'de' });
    expect((await added).crew.find((m) => m.name === 'Otto Other')).toMatchObject({
      state: 'offline',
      participantId: null,
      language: 'de',
    });
    const gone = room.moderator.next('crew:changed', ({ crew: list }) => !list.some((m) => m.name === 'Otto Other'));
    await room.moderatorApi.expectOk('DELETE', `/api/events/${room.event.slug}/speakers/${other.body.id}`);
    await gone;
    // Nobody but moderators hears of the crew.
    expect(room.speaker.all('crew:changed')).toEqual([]);
    expect(room.journalist.all('crew:changed')).toEqual([]);
  });

  it('the transcript has the captions with their times; the purge deletes them', async () => {
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    await ok(crew.captioner, 'caption:send', { text: 'El presupuesto sube un 3 %.' });
    await ok(crew.captioner, 'caption:send', { text: 'Preguntas al final.' });
    const transcript = await room.moderatorApi.expectOk<Transcript>('GET', `/api/events/${room.event.slug}/transcript`);
    expect(transcript.captions.map((c) => [c.language, c.text])).toEqual([
      ['es', 'El presupuesto sube un 3 %.'],
      ['es', 'Preguntas al final.'],
    ]);
    expect(Date.parse(transcript.captions[0]!.sentAt)).toBeLessThanOrEqual(Date.parse(transcript.captions[1]!.sentAt));
    const markdown = await room.moderatorApi.request<string>(
      'GET',
      `/api/events/${room.event.slug}/transcript?format=markdown`,
    );
    const time = transcript.captions[0]!.sentAt.slice(11, 19);
    expect(markdown.body).toContain('## Captions (2)');
    expect(markdown.body).toContain(`- ${time} (es) El presupuesto sube un 3 %.`);

    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/end`);
    const details = await waitFor(async () => {
      const d = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${room.event.slug}/details`);
      return d.status === 'purged' ? d : null;
    });
    const db = new Database(join(server.dataDir, 'pressroom.sqlite'), { readonly: true });
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS count FROM ${table} WHERE eventId = ?`).get(details.id) as { count: number })
        .count;
    expect([count('caption_cue'), count('speaker_invite')]).toEqual([0, 0]);
    db.close();
  });

  it('after the end, captions are refused as for any closed event', async () => {
    await room.moderatorApi.request('PATCH', `/api/events/${room.event.slug}`, { retentionHours: 1 });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/end`);
    expect(await refused(crew.captioner, 'caption:send', { text: 'Too late.' })).toMatchObject({
      code: 'event_closed',
    });
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
