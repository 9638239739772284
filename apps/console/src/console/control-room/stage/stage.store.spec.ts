import { TestBed } from '@angular/core/testing';
import { NoticesStore } from '../../notices/notices.store';
import { Moderation } from '../moderation';
import { aGuest, anInvitation, aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { StageStore } from './stage.store';

describe('StageStore', () => {
  let live: FakeControlRoomLive;
  let store: StageStore;

  beforeEach(() => {
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, StageStore] });
    store = TestBed.inject(StageStore);
  });

  it('takes the stage from the snapshot and from every change', () => {
    live.emit('state', aState({ stage: { guests: [aGuest({ name: 'Ana' })], invitations: [], maxGuests: 2 } }));
    expect(store.guests().map((g) => g.name)).toEqual(['Ana']);
    expect(store.full()).toBe(false);

    live.emit('stage:changed', {
      guests: [aGuest()],
      invitations: [anInvitation({ participantId: 'bo' })],
      maxGuests: 2,
    });
    expect(store.full()).toBe(true);
    expect(store.isOnStage('bo')).toBe(true);
    expect(store.isOnStage('someone else')).toBe(false);
  });

  it('invites a hand, and says why when the server refuses', async () => {
    const inviting = store.invite('h1');
    expect(live.sent[0]).toMatchObject({ action: 'stage:invite', request: { handId: 'h1' } });
    live.answer({ code: 'stage_full', message: 'The stage is full' });
    expect(await inviting).toBe(false);
    expect(TestBed.inject(NoticesStore).notices()[0]!.text).toContain('Could not invite on stage: The stage is full');
  });

  it('mutes at once, and takes it back when refused', async () => {
    live.emit('stage:changed', { guests: [aGuest({ participantId: 'ana' })], invitations: [], maxGuests: 1 });
    const muting = store.mute('ana', true);
    expect(store.guests()[0]!.muted).toBe(true);
    expect(live.sent[0]).toMatchObject({ action: 'stage:mute', request: { participantId: 'ana', muted: true } });
    live.answer({ code: 'not_found', message: 'Not on stage' });
    expect(await muting).toBe(false);
    expect(store.guests()[0]!.muted).toBe(false);
  });

  it('ends a turn or withdraws an invitation at once', async () => {
    live.emit('stage:changed', {
      guests: [aGuest({ participantId: 'ana' })],
      invitations: [anInvitation({ participantId: 'bo' })],
      maxGuests: 2,
    });
    const ending = store.remove('ana');
    const withdrawing = store.remove('bo');
    expect(store.guests()).toEqual([]);
    expect(store.invitations()).toEqual([]);
    expect(live.sent.map((s) => s.request)).toEqual([{ participantId: 'ana' }, { participantId: 'bo' }]);
    live.answer();
    live.answer();
    expect(await ending).toBe(true);
    expect(await withdrawing).toBe(true);
  });

  it('tells the moderator, by name, of a declined or lapsed invitation', () => {
    live.emit('stage:changed', {
      guests: [],
      invitations: [anInvitation({ participantId: 'ana', handId: 'ha', name: 'Ana García' })],
      maxGuests: 1,
    });
    live.emit('stage:changed', { guests: [], invitations: [], maxGuests: 1 });
    live.emit('stage:declined', { handId: 'ha', participantId: 'ana', reason: 'declined' });
    live.emit('stage:declined', { handId: 'hx', participantId: 'unknown', reason: 'lapsed' });
    expect(
      TestBed.inject(NoticesStore)
        .notices()
        .map((n) => n.text),
    ).toEqual([
      'Ana García declined to go on stage.',
      'The journalist did not answer the invitation on stage in time.',
    ]);
  });
});
