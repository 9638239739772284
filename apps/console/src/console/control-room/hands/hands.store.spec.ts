import { TestBed } from '@angular/core/testing';
import { NoticesStore } from '../../notices/notices.store';
import { Moderation } from '../moderation';
import { aHand, aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { HandsStore } from './hands.store';

describe('HandsStore', () => {
  let live: FakeControlRoomLive;
  let store: HandsStore;
  const ids = (hands: ReadonlyArray<{ id: string }>) => hands.map((h) => h.id);

  beforeEach(() => {
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, HandsStore] });
    store = TestBed.inject(HandsStore);
  });

  it('lists hands in the order they went up, and takes each new queue from the server', () => {
    const late = aHand({ id: 'late', raisedAt: '2026-01-15T10:09:00.000Z' });
    const early = aHand({ id: 'early', raisedAt: '2026-01-15T10:02:00.000Z' });
    live.emit('state', aState({ hands: [late, early] }));
    expect(ids(store.queue())).toEqual(['early', 'late']);

    live.emit('hand:queue', { hands: [late] });
    expect(ids(store.queue())).toEqual(['late']);
  });

  it('counts only hands still waiting', () => {
    live.emit('state', aState({ hands: [aHand(), aHand({ status: 'acknowledged' }), aHand()] }));
    expect(store.waiting()).toBe(2);
  });

  it('acknowledges at once, keeping the hand in its place', async () => {
    live.emit('state', aState({ hands: [aHand({ id: 'a' }), aHand({ id: 'b' })] }));
    const acknowledging = store.acknowledge('b');
    expect(store.queue().map((h) => h.status)).toEqual(['raised', 'acknowledged']);
    expect(live.sent[0]).toMatchObject({ action: 'hand:ack', request: { handId: 'b' } });
    live.answer();
    expect(await acknowledging).toBe(true);
    expect(ids(store.queue())).toEqual(['a', 'b']);
  });

  it('dismisses at once, and brings the hand back in its place when refused', async () => {
    live.emit('state', aState({ hands: [aHand({ id: 'a' }), aHand({ id: 'b' }), aHand({ id: 'c' })] }));
    const dismissing = store.dismiss('b');
    expect(ids(store.queue())).toEqual(['a', 'c']);
    live.answer({ code: 'invalid_state', message: 'This hand is lowered' });
    expect(await dismissing).toBe(false);
    expect(ids(store.queue())).toEqual(['a', 'b', 'c']);
    expect(TestBed.inject(NoticesStore).notices()[0]!.text).toContain(
      'Could not dismiss the hand: This hand is lowered',
    );
  });
});
