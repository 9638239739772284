import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

describe('raised hands', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(async () => (server = await startServer()));
  afterAll(() => server.close());
  beforeEach(async () => (room = await openPressConference(server)));
  afterEach(() => room.close());

  it('a journalist raises a hand; moderators see the queue in order, acknowledge and dismiss', async () => {
    const queued = room.moderator.next('hand:queue', ({ hands }) => hands.length === 1);
    const reply = await room.journalist.send('hand:raise', { topic: 'Follow-up on rail' });
    expect(reply).toMatchObject({
      ok: true,
      hand: { status: 'raised', topic: 'Follow-up on rail', name: 'Ana García' },
    });
    const [hand] = (await queued).hands;
    expect(await room.journalist.send('hand:raise', {})).toMatchObject({
      ok: false,
      error: { code: 'already_raised' },
    });

    const acknowledged = room.journalist.next('hand:status', ({ hand: h }) => h?.status === 'acknowledged');
    expect(await room.moderator.send('hand:ack', { handId: hand!.id })).toEqual({ ok: true });
    await acknowledged;

    const cleared = room.journalist.next('hand:status', ({ hand: h }) => h === null);
    const emptied = room.moderator.next('hand:queue', ({ hands }) => hands.length === 0);
    expect(await room.moderator.send('hand:dismiss', { handId: hand!.id })).toEqual({ ok: true });
    await Promise.all([cleared, emptied]);
    expect(await room.moderator.send('hand:ack', { handId: hand!.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
  });

  it('lowering a hand takes it out of the queue; viewers cannot raise hands', async () => {
    await room.journalist.send('hand:raise', {});
    const emptied = room.moderator.next('hand:queue', ({ hands }) => hands.length === 0);
    expect(await room.journalist.send('hand:lower', {})).toEqual({ ok: true });
    await emptied;
    expect(await room.viewer.send('hand:raise', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
