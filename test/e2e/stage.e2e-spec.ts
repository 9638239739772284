/**
 * The journalist on stage, at socket level: a raised hand invited into the studio as a guest, with the
 * real server, real socket.io clients and real mediasoup (tracks produced from synthetic parameters).
 */
import { CLIENT_ACTIONS, type StageView, type Transcript } from '@pressroom/protocol';
import { DataSource } from 'typeorm';
import { StudioService } from '../../apps/api/src/studio/studio.service';
import { PurgeService } from '../../apps/api/src/privacy/purge.service';
import { emitAck, expectError, isStudioAction, SPECS } from './harness/bad-input';
import {
  anotherJournalist,
  DTLS,
  invite,
  ok,
  opusParameters,
  raiseHand,
  sendTransport,
  vp8Parameters,
} from './harness/guest';
import { LiveClient } from './harness/live-client';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

const STUDIO_ACTIONS = CLIENT_ACTIONS.filter(isStudioAction);

describe('stage: a raised hand becomes a guest in the studio', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(async () => (server = await startServer()));
  afterAll(() => server.close());
  beforeEach(async () => (room = await openPressConference(server)));
  afterEach(() => room.close());

  const guestId = () => room.journalist.state.me.participantId;

  /** Every studio action, well-formed, refused as forbidden for this client. */
  async function expectEveryStudioActionForbidden(client: LiveClient, role: 'viewer' | 'journalist') {
    for (const action of STUDIO_ACTIONS) {
      const reply = await emitAck(client, action, SPECS[action].valid());
      expect({ action, reply }).toEqual({ action, reply: expect.objectContaining({ ok: false }) });
      expectError(reply, 'forbidden', new RegExp(`${role}.*${action}`));
    }
  }

  it('every studio action is forbidden to a viewer, an uninvited journalist and an invited one who has not accepted', async () => {
    await expectEveryStudioActionForbidden(room.viewer, 'viewer');
    await expectEveryStudioActionForbidden(room.journalist, 'journalist');
    // Malformed payloads too: the journalist learns nothing about the studio's signalling.
    expectError(await emitAck(room.journalist, 'studio:produce', { kind: 'nonsense' }), 'forbidden');

    const hand = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, hand.id);
    await expectEveryStudioActionForbidden(room.journalist, 'journalist');
  });

  it('invite → accept → the guest joins and publishes → remove → stage:ended, tracks closed, hand answered', async () => {
    const hand = await raiseHand(room, room.journalist);
    await ok(room.speaker, 'studio:join', {});
    const { expiresAt } = await invite(room, room.journalist, hand.id);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(
      (await room.moderator.next('stage:changed', (s) => s.invitations.length === 1, { past: true })).invitations,
    ).toEqual([expect.objectContaining({ participantId: guestId(), handId: hand.id, name: 'Ana García' })]);

    const onStage = room.moderator.next('stage:changed', (s) => s.guests.length === 1);
    await ok(room.journalist, 'stage:accept', {});
    const stage = await onStage;
    expect(stage).toEqual({
      guests: [
        {
          participantId: guestId(),
          handId: hand.id,
          name: 'Ana García',
          outlet: 'El País',
          since: expect.any(String),
          muted: false,
          reconnectBy: null,
        },
      ],
      invitations: [],
      maxGuests: 1,
    });

    // The speaker sees the guest arrive, with the badge, the name and the outlet.
    const peerJoined = room.speaker.next('studio:peerJoined', (p) => p.peerId === guestId());
    const joined = await ok(room.journalist, 'studio:join', {});
    expect(joined.peers.map((p) => p.name)).toEqual(['Minister Ruiz']);
    expect(await peerJoined).toEqual({
      peerId: guestId(),
      name: 'Ana García',
      role: 'guest',
      outlet: 'El País',
      language: null,
      producers: [],
    });
    const { transport } = await ok(room.journalist, 'studio:createTransport', { direction: 'send' });
    await ok(room.journalist, 'studio:connectTransport', { transportId: transport.id, dtlsParameters: DTLS });
    const announced = room.speaker.next('studio:newProducer', (p) => p.peerId === guestId());
    const { producerId } = await ok(room.journalist, 'studio:produce', {
      transportId: transport.id,
      kind: 'audio',
      rtpParameters: opusParameters(2001),
      source: 'microphone',
    });
    expect(await announced).toMatchObject({ producerId, kind: 'audio', source: 'microphone' });
    // The speaker hears the guest.
    const recv = await ok(room.speaker, 'studio:createTransport', { direction: 'recv' });
    const { consumer } = await ok(room.speaker, 'studio:consume', {
      transportId: recv.transport.id,
      producerId,
      rtpCapabilities: joined.routerRtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId, peerId: guestId(), kind: 'audio', source: 'microphone' });
    await ok(room.speaker, 'studio:resumeConsumer', { consumerId: consumer.consumerId });
    const camera = await ok(room.journalist, 'studio:produce', {
      transportId: transport.id,
      kind: 'video',
      rtpParameters: vp8Parameters(2002),
      source: 'camera',
    });

    // A screen is not for guests.
    expectError(
      await emitAck(room.journalist, 'studio:produce', {
        transportId: transport.id,
        kind: 'video',
        rtpParameters: vp8Parameters(2003),
        source: 'screen',
      }),
      'forbidden',
      /microphone and a camera, not a screen/,
    );

    // The broadcast gets the guest's voice and camera, labelled with name and outlet.
    const studioRoom = await server.app.get(StudioService).existingRoom(room.event.id);
    expect(
      studioRoom!
        .tracks()
        .filter((t) => t.producer.appData.peerId === guestId())
        .map((t) => [t.kind, t.speakerName]),
    ).toEqual([
      ['audio', 'Ana García, El País'],
      ['video', 'Ana García, El País'],
    ]);

    // The moderator ends the turn: the tracks close at once, the journalist is told, the hand is answered.
    const micClosed = room.speaker.next('studio:producerClosed', (p) => p.producerId === producerId);
    const cameraClosed = room.speaker.next('studio:producerClosed', (p) => p.producerId === camera.producerId);
    const peerLeft = room.speaker.next('studio:peerLeft', (p) => p.peerId === guestId());
    const consumerClosed = room.speaker.next('studio:consumerClosed', (c) => c.consumerId === consumer.consumerId);
    const ended = room.journalist.next('stage:ended');
    const answered = room.journalist.next('hand:status', ({ hand: h }) => h === null);
    const emptied = room.moderator.next('stage:changed', (s) => s.guests.length === 0);
    const queueEmptied = room.moderator.next('hand:queue', ({ hands }) => hands.length === 0);
    await ok(room.moderator, 'stage:remove', { participantId: guestId() });
    // Right after: the studio is closed to them, even the same request again.
    expectError(
      await emitAck(room.journalist, 'studio:produce', {
        transportId: transport.id,
        kind: 'audio',
        rtpParameters: opusParameters(2004),
        source: 'microphone',
      }),
      'forbidden',
      /journalist.*studio:produce/,
    );
    await Promise.all([micClosed, cameraClosed, peerLeft, consumerClosed, answered, emptied, queueEmptied]);
    expect(await ended).toEqual({ reason: 'removed' });
    expect(studioRoom!.tracks().filter((t) => t.producer.appData.peerId === guestId())).toEqual([]);

    // A journalist whose turn ended is refused every studio action.
    await expectEveryStudioActionForbidden(room.journalist, 'journalist');
    expectError(await emitAck(room.journalist, 'stage:accept', {}), 'invalid_state');

    const transcript = await room.moderatorApi.expectOk<Transcript>('GET', `/api/events/${room.event.slug}/transcript`);
    expect(transcript.hands).toEqual([expect.objectContaining({ id: hand.id, status: 'answered' })]);
    expect(transcript.stage).toEqual([
      {
        participantId: guestId(),
        name: 'Ana García',
        outlet: 'El País',
        from: expect.any(String),
        to: expect.any(String),
      },
    ]);
    expect(new Date(transcript.stage[0]!.to!).getTime()).toBeGreaterThanOrEqual(
      new Date(transcript.stage[0]!.from).getTime(),
    );
    const moderatorId = room.moderator.state.me.participantId;
    expect(transcript.moderation.map((a) => [a.action, a.actorParticipantId, a.targetId])).toEqual([
      ['stage:invite', moderatorId, hand.id],
      ['stage:accept', guestId(), hand.id],
      ['stage:remove', moderatorId, guestId()],
    ]);
    const markdown = await room.moderatorApi.request<string>(
      'GET',
      `/api/events/${room.event.slug}/transcript?format=markdown`,
    );
    expect(markdown.body).toMatch(
      /## On stage \(1\)\n\n- \d\d:\d\d:\d\d–\d\d:\d\d:\d\d Ana García \(El País\) _\(guest\)_/,
    );
  });

  it('a declined invitation reaches the moderators; the audit records it', async () => {
    const hand = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, hand.id);
    const declined = room.moderator.next('stage:declined');
    await ok(room.journalist, 'stage:decline', {});
    expect(await declined).toEqual({ handId: hand.id, participantId: guestId(), reason: 'declined' });
    await expectEveryStudioActionForbidden(room.journalist, 'journalist');
    expectError(await emitAck(room.journalist, 'stage:accept', {}), 'invalid_state', /no invitation/);
    // The hand stays in the queue: the moderator may invite again.
    await invite(room, room.journalist, hand.id);
    const transcript = await room.moderatorApi.expectOk<Transcript>('GET', `/api/events/${room.event.slug}/transcript`);
    expect(transcript.moderation.map((a) => a.action)).toEqual(['stage:invite', 'stage:decline', 'stage:invite']);
    expect(transcript.stage).toEqual([]);
  });

  it('at most STAGE_MAX_GUESTS (1) at a time, invited or on stage, with a clear error', async () => {
    const second = await anotherJournalist(server, room.event.slug);
    try {
      const first = await raiseHand(room, room.journalist);
      const other = await raiseHand(room, second.client);
      await invite(room, room.journalist, first.id);
      const full = await emitAck(room.moderator, 'stage:invite', { handId: other.id });
      expectError(full, 'stage_full', /at most 1 guest at a time/);
      await ok(room.journalist, 'stage:accept', {});
      expectError(await emitAck(room.moderator, 'stage:invite', { handId: other.id }), 'stage_full');
      expectError(await emitAck(room.moderator, 'stage:invite', { handId: first.id }), 'invalid_state');

      // The guest leaves by themselves: the place is free again.
      const ended = room.journalist.next('stage:ended');
      await ok(room.journalist, 'stage:leave', {});
      expect(await ended).toEqual({ reason: 'left' });
      await invite(room, second.client, other.id);
      expectError(await emitAck(second.client, 'studio:join', {}), 'forbidden');
    } finally {
      second.client.close();
    }
  });

  it("the moderators' state lists who is on stage since when; a moderator mutes the guest's microphone", async () => {
    const hand = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, hand.id);
    await ok(room.journalist, 'stage:accept', {});

    const fresh = await LiveClient.connect(server.url, room.tokens.moderator);
    const freshJournalist = await LiveClient.connect(server.url, room.tokens.journalist);
    try {
      const stage = fresh.state.stage as StageView;
      expect(stage.guests).toEqual([
        expect.objectContaining({ participantId: guestId(), name: 'Ana García', outlet: 'El País' }),
      ]);
      expect(Date.now() - new Date(stage.guests[0]!.since).getTime()).toBeLessThan(60_000);
      expect(room.speaker.state.stage).toBeNull();
      expect(freshJournalist.state.myStage).toMatchObject({ status: 'onStage', handId: hand.id, muted: false });
    } finally {
      fresh.close();
      freshJournalist.close();
    }

    await ok(room.speaker, 'studio:join', {});
    const transportId = await sendTransport(room.journalist);
    const { producerId } = await ok(room.journalist, 'studio:produce', {
      transportId,
      kind: 'audio',
      rtpParameters: opusParameters(3001),
      source: 'microphone',
    });
    const paused = room.speaker.next('studio:producerPaused', (p) => p.producerId === producerId && p.paused);
    const told = room.journalist.next('stage:muted');
    await ok(room.moderator, 'stage:mute', { participantId: guestId(), muted: true });
    await paused;
    const studioRoom = await server.app.get(StudioService).existingRoom(room.event.id);
    expect(studioRoom!.tracks().filter((t) => t.producer.id === producerId)).toEqual([]);
    expect(await told).toEqual({ muted: true });
    expectError(await emitAck(room.journalist, 'studio:resumeProducer', { producerId }), 'forbidden', /muted/);
    const resumed = room.speaker.next('studio:producerPaused', (p) => p.producerId === producerId && !p.paused);
    await ok(room.moderator, 'stage:mute', { participantId: guestId(), muted: false });
    await resumed;

    expectError(
      await emitAck(room.moderator, 'stage:remove', { participantId: room.viewer.state.me.participantId }),
      'not_found',
    );
  });

  it('a banned guest leaves the stage at once, without the grace of a dropped connection', async () => {
    const hand = await raiseHand(room, room.journalist);
    await ok(room.speaker, 'studio:join', {});
    await invite(room, room.journalist, hand.id);
    await ok(room.journalist, 'stage:accept', {});
    const transportId = await sendTransport(room.journalist);
    const { producerId } = await ok(room.journalist, 'studio:produce', {
      transportId,
      kind: 'audio',
      rtpParameters: opusParameters(5001),
      source: 'microphone',
    });
    const closed = room.speaker.next('studio:producerClosed', (p) => p.producerId === producerId);
    // Well within the default grace of 30 s.
    const emptied = room.moderator.next('stage:changed', (s) => s.guests.length === 0, { timeoutMs: 5000 });
    await ok(room.moderator, 'user:ban', { participantId: guestId() });
    await Promise.all([closed, emptied]);
    await room.moderator.next('hand:queue', ({ hands }) => hands.length === 0, { past: true });
  });

  it('a hand lowered takes its invitation with it; a hand dismissed ends its turn on stage', async () => {
    const hand = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, hand.id);
    const withdrawn = room.journalist.next('stage:ended', (e) => e.reason === 'withdrawn');
    const noInvitation = room.moderator.next('stage:changed', (s) => s.invitations.length === 0);
    await ok(room.journalist, 'hand:lower', {});
    await Promise.all([withdrawn, noInvitation]);
    expectError(await emitAck(room.journalist, 'stage:accept', {}), 'invalid_state');

    const again = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, again.id);
    await ok(room.journalist, 'stage:accept', {});
    const removed = room.journalist.next('stage:ended', (e) => e.reason === 'removed');
    const offStage = room.moderator.next('stage:changed', (s) => s.guests.length === 0);
    await ok(room.moderator, 'hand:dismiss', { handId: again.id });
    await Promise.all([removed, offStage]);
    expectError(await emitAck(room.journalist, 'studio:join', {}), 'forbidden');
  });

  it('the API restarts: the guest who comes back within the grace is still on stage, still muted, and may use the studio', async () => {
    const hand = await raiseHand(room, room.journalist);
    await invite(room, room.journalist, hand.id);
    await ok(room.journalist, 'stage:accept', {});
    await ok(room.journalist, 'studio:join', {});
    // A moderator muted them: the restart does not give them their microphone back.
    await ok(room.moderator, 'stage:mute', { participantId: guestId(), muted: true });
    await server.restart();

    const journalist = await LiveClient.connect(server.url, room.tokens.journalist);
    const moderator = await LiveClient.connect(server.url, room.tokens.moderator);
    try {
      expect(journalist.state.myStage).toMatchObject({ status: 'onStage', handId: hand.id, muted: true });
      expect(moderator.state.stage?.guests).toEqual([
        expect.objectContaining({
          participantId: guestId(),
          handId: hand.id,
          name: 'Ana García',
          outlet: 'El País',
          muted: true,
        }),
      ]);
      const transportId = await sendTransport(journalist);
      const { producerId } = await ok(journalist, 'studio:produce', {
        transportId,
        kind: 'audio',
        rtpParameters: opusParameters(3101),
        source: 'microphone',
      });
      expectError(await emitAck(journalist, 'studio:resumeProducer', { producerId }), 'forbidden', /muted/);
      // The moderator ends the turn as usual: the appearance gets its end.
      const ended = journalist.next('stage:ended', (e) => e.reason === 'removed');
      await ok(moderator, 'stage:remove', { participantId: guestId() });
      await ended;
    } finally {
      journalist.close();
      moderator.close();
    }
  });

  it('the purge removes the guest appearances with every other identity', async () => {
    const ended = await openPressConference(server, { retentionHours: 0, title: 'Purged stage' });
    try {
      const hand = await raiseHand(ended, ended.journalist);
      await invite(ended, ended.journalist, hand.id);
      await ok(ended.journalist, 'stage:accept', {});
      await ended.moderatorApi.expectOk('POST', `/api/events/${ended.event.slug}/start`);
      const turnOver = ended.journalist.next('stage:ended', (e) => e.reason === 'event ended');
      await ended.moderatorApi.expectOk('POST', `/api/events/${ended.event.slug}/end`);
      await turnOver;
      const rows = () =>
        server.app.get(DataSource).getRepository('stage_appearance').countBy({ eventId: ended.event.id });
      expect(await rows()).toBe(1);
      await server.app.get(PurgeService).purgeDue(new Date(Date.now() + 60_000));
      expect(await rows()).toBe(0);
    } finally {
      ended.close();
    }
  });
});
