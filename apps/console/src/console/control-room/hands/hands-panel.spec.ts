import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Moderation } from '../moderation';
import { StageStore } from '../stage/stage.store';
import {
  aGuest,
  aHand,
  anInvitation,
  aState,
  FakeControlRoomLive,
  provideFakeLive,
} from '../testing/fake-control-room-live';
import { HandsPanel } from './hands-panel';
import { HandsStore } from './hands.store';

describe('HandsPanel', () => {
  let live: FakeControlRoomLive;
  let fixture: ComponentFixture<HandsPanel>;
  let element: HTMLElement;
  const invite = (name: string) =>
    element.querySelector<HTMLButtonElement>(`button[aria-label="Invite on stage: ${name}"]`);

  beforeEach(async () => {
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, HandsStore, StageStore] });
    fixture = TestBed.createComponent(HandsPanel);
    element = fixture.nativeElement as HTMLElement;
    live.emit(
      'state',
      aState({
        hands: [
          aHand({ id: 'ha', participantId: 'ana', name: 'Ana' }),
          aHand({ id: 'hb', participantId: 'bo', name: 'Bo' }),
        ],
        stage: { guests: [], invitations: [], maxGuests: 2 },
      }),
    );
    await fixture.whenStable();
  });

  it('invites a raised hand on stage', () => {
    invite('Bo')!.click();
    expect(live.sent.map(({ action, request }) => [action, request])).toEqual([['stage:invite', { handId: 'hb' }]]);
  });

  it('marks the journalist invited or on stage, and offers no invitation while the stage is full', async () => {
    live.emit('stage:changed', { guests: [aGuest({ participantId: 'ana' })], invitations: [], maxGuests: 2 });
    await fixture.whenStable();
    expect(invite('Ana')).toBeNull();
    expect(element.querySelector('[aria-label="Hand of Ana"] .pr-badge-accent')!.textContent).toBe('On stage');
    expect(invite('Bo')!.disabled).toBe(false);

    live.emit('stage:changed', {
      guests: [aGuest({ participantId: 'ana' })],
      invitations: [anInvitation({ participantId: 'cy' })],
      maxGuests: 2,
    });
    await fixture.whenStable();
    expect(invite('Bo')!.disabled).toBe(true);
    expect(invite('Bo')!.title).toBe('The stage is full: end a turn first');
  });
});
