import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { aRestriction } from '../testing/fake-control-room-live';
import { RestrictionsList } from './restrictions-list';

describe('RestrictionsList', () => {
  let fixture: ComponentFixture<RestrictionsList>;
  let element: HTMLElement;
  const unmuted: string[] = [];
  /** Each row's words: name, outlet, badge, button. */
  const rows = () =>
    [...element.querySelectorAll('li')].map((li) =>
      [...li.querySelectorAll('strong, .pr-meta, .pr-badge, button')].map((part) => part.textContent!.trim()),
    );

  beforeEach(async () => {
    unmuted.length = 0;
    fixture = TestBed.createComponent(RestrictionsList);
    element = fixture.nativeElement as HTMLElement;
    fixture.componentInstance.unmuted.subscribe((participantId) => unmuted.push(participantId));
    fixture.componentRef.setInput('restrictions', [
      aRestriction({ participantId: 'ana', name: 'Ana García', outlet: 'El País' }),
      aRestriction({ participantId: 'troll', name: 'Troll', outlet: null, role: 'viewer', banned: true }),
      aRestriction({ participantId: 'anon', name: null, outlet: null, role: 'viewer' }),
    ]);
    await fixture.whenStable();
  });

  it('counts and lists each person with why, folded away until opened', () => {
    expect(element.querySelector('summary')!.textContent).toContain('Muted and banned 3');
    expect(element.querySelector('details')!.open).toBe(false);
    expect(rows()).toEqual([
      ['Ana García', 'El País', 'Muted', 'Unmute'],
      ['Troll', 'Banned'],
      ['Anonymous (Viewer)', 'Muted', 'Unmute'],
    ]);
  });

  it('offers to unmute the muted, named in the button, and nothing for the banned', () => {
    const buttons = [...element.querySelectorAll('button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Unmute Ana García',
      'Unmute Anonymous (Viewer)',
    ]);
    buttons[0]!.click();
    expect(unmuted).toEqual(['ana']);
  });
});
