import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Moderation } from '../moderation';
import { aGuest, anInvitation, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { clock, StagePanel } from './stage-panel';
import { StageStore } from './stage.store';

describe('StagePanel', () => {
  let live: FakeControlRoomLive;
  let fixture: ComponentFixture<StagePanel>;
  let element: HTMLElement;
  const text = (selector: string) =>
    [...element.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

  beforeEach(async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-15T10:00:00.000Z'), toFake: ['Date', 'setInterval', 'clearInterval'] });
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, StageStore] });
    fixture = TestBed.createComponent(StagePanel);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => vi.useRealTimers());

  it('says when nobody is on stage', () => {
    expect(element.textContent).toContain('Nobody on stage');
  });

  it('lists guests with how long they have been on stage, counting up, and invitations with the time left', async () => {
    live.emit('stage:changed', {
      guests: [aGuest({ name: 'Ana García', outlet: 'El País', since: '2026-01-15T09:58:55.000Z', muted: true })],
      invitations: [anInvitation({ name: 'Bo Berg', outlet: 'SVT', expiresAt: '2026-01-15T10:00:42.000Z' })],
      maxGuests: 2,
    });
    await fixture.whenStable();
    expect(text('.guest .since')).toEqual(['1:05']);
    expect(text('.guest .pr-badge')).toEqual(['Muted']);
    expect(text('.guest strong, .guest .outlet')).toEqual(['Ana García', 'El País']);
    expect(text('.invitation .left')).toEqual(['0:42']);
    expect(text('[data-testid="stage-count"]')).toEqual(['1 / 2']);

    vi.advanceTimersByTime(3000);
    await fixture.whenStable();
    expect(text('.guest .since')).toEqual(['1:08']);
    expect(text('.invitation .left')).toEqual(['0:39']);
  });

  it('unmutes a muted guest, mutes one who is not, ends a turn and withdraws an invitation', async () => {
    live.emit('stage:changed', {
      guests: [aGuest({ participantId: 'ana', name: 'Ana', muted: true }), aGuest({ participantId: 'cy', name: 'Cy' })],
      invitations: [anInvitation({ participantId: 'bo', name: 'Bo' })],
      maxGuests: 3,
    });
    await fixture.whenStable();
    const button = (label: string) => element.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;
    button('Unmute Ana').click();
    button('Mute Cy').click();
    button('End turn of Ana').click();
    button('Withdraw the invitation of Bo').click();
    expect(live.sent.map(({ action, request }) => [action, request])).toEqual([
      ['stage:mute', { participantId: 'ana', muted: false }],
      ['stage:mute', { participantId: 'cy', muted: true }],
      ['stage:remove', { participantId: 'ana' }],
      ['stage:remove', { participantId: 'bo' }],
    ]);
  });

  it('writes spans as m:ss, or h:mm:ss past an hour, never below zero', () => {
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(clock(-4_000)).toBe('0:00');
  });
});
