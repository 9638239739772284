/**
 * The journalist on stage, against the clock: an invitation not answered lapses (STAGE_INVITE_SECONDS), a
 * guest whose connection drops keeps the turn if back within STAGE_RECONNECT_SECONDS, and loses it after.
 */
import { emitAck, expectError } from './harness/bad-input';
import { invite, ok, opusParameters, raiseHand, sendTransport } from './harness/guest';
import { LiveClient } from './harness/live-client';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

const INVITE_SECONDS = 1;
const RECONNECT_SECONDS = 3;

describe('stage: lapses and reconnections', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(
    async () =>
      (server = await startServer({
        STAGE_INVITE_SECONDS: String(INVITE_SECONDS),
        STAGE_RECONNECT_SECONDS: String(RECONNECT_SECONDS),
      })),
  );
  afterAll(() => server.close());
  beforeEach(async () => (room = await openPressConference(server)));
  afterEach(() => room.close());

  const guestId = () => room.journalist.state.me.participantId;

  it('an invitation not answered in time lapses: the moderators and the journalist are told', async () => {
    const hand = await raiseHand(room, room.journalist);
    const invitedAt = Date.now();
    const declined = room.moderator.next('stage:declined', () => true, { timeoutMs: 10_000 });
    const gone = room.journalist.next('stage:ended', () => true, { timeoutMs: 10_000 });
    await invite(room, room.journalist, hand.id);
    expect(await declined).toEqual({ handId: hand.id, participantId: guestId(), reason: 'lapsed' });
    expect(Date.now() - invitedAt).toBeGreaterThanOrEqual(INVITE_SECONDS * 1000 - 50);
    expect(await gone).toEqual({ reason: 'lapsed' });
    expectError(await emitAck(room.journalist, 'stage:accept', {}), 'invalid_state');
    expectError(await emitAck(room.journalist, 'studio:join', {}), 'forbidden');
    const last = room.moderator.all('stage:changed').at(-1)!;
    expect(last).toMatchObject({ guests: [], invitations: [] });
  });

  /** Invites, accepts, joins the studio and publishes a microphone; the speaker is in the studio too. */
  async function onStageWithMicrophone(journalist: LiveClient) {
    const hand = await raiseHand(room, journalist);
    await ok(room.speaker, 'studio:join', {});
    await invite(room, journalist, hand.id);
    await ok(journalist, 'stage:accept', {});
    const transportId = await sendTransport(journalist);
    const { producerId } = await ok(journalist, 'studio:produce', {
      transportId,
      kind: 'audio',
      rtpParameters: opusParameters(4001),
      source: 'microphone',
    });
    return { hand, producerId };
  }

  it('a guest whose connection drops and comes back within the grace keeps the turn', async () => {
    const { producerId } = await onStageWithMicrophone(room.journalist);
    const graceStarted = room.moderator.next('stage:changed', (s) => s.guests[0]?.reconnectBy != null);
    const tracksGone = room.speaker.next('studio:producerClosed', (p) => p.producerId === producerId);
    room.journalist.close();
    const { guests } = await graceStarted;
    expect(new Date(guests[0]!.reconnectBy!).getTime()).toBeGreaterThan(Date.now());
    await tracksGone;

    const back = room.moderator.next(
      'stage:changed',
      (s) => s.guests.length === 1 && s.guests[0]!.reconnectBy === null,
    );
    const again = await LiveClient.connect(server.url, room.tokens.journalist);
    try {
      await back;
      expect(again.state.myStage).toMatchObject({ status: 'onStage' });
      const peerJoined = room.speaker.next('studio:peerJoined', (p) => p.peerId === guestId() && p.role === 'guest');
      const transportId = await sendTransport(again);
      await peerJoined;
      const announced = room.speaker.next('studio:newProducer', (p) => p.peerId === guestId());
      await ok(again, 'studio:produce', {
        transportId,
        kind: 'audio',
        rtpParameters: opusParameters(4002),
        source: 'microphone',
      });
      await announced;
      // Still on stage well after the grace would have run out.
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_SECONDS * 1000 + 500));
      expect(again.all('stage:ended')).toEqual([]);
      expect(room.moderator.all('stage:changed').at(-1)!.guests).toHaveLength(1);
    } finally {
      again.close();
    }
  });

  it('a guest who does not come back within the grace loses the turn; the hand is answered', async () => {
    const { hand } = await onStageWithMicrophone(room.journalist);
    const dropped = Date.now();
    const ended = room.moderator.next('stage:changed', (s) => s.guests.length === 0, { timeoutMs: 15_000 });
    const answered = room.moderator.next('hand:queue', ({ hands }) => !hands.some((h) => h.id === hand.id), {
      timeoutMs: 15_000,
    });
    room.journalist.close();
    await ended;
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(RECONNECT_SECONDS * 1000 - 200);
    await answered;

    const again = await LiveClient.connect(server.url, room.tokens.journalist);
    try {
      expect(again.state.myStage).toBeNull();
      expect(again.state.hand).toBeNull();
      expectError(await emitAck(again, 'studio:join', {}), 'forbidden', /journalist.*studio:join/);
    } finally {
      again.close();
    }
  });
});
