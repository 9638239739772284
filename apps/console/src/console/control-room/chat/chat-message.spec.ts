import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { aMessage } from '../testing/fake-control-room-live';
import { ChatMessage } from './chat-message';

describe('ChatMessage', () => {
  let fixture: ComponentFixture<ChatMessage>;
  let element: HTMLElement;
  const emitted: string[] = [];
  const buttons = () => [...element.querySelectorAll('button')].map((b) => b.textContent!.trim());
  const click = async (name: string) => {
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!.click();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    emitted.length = 0;
    fixture = TestBed.createComponent(ChatMessage);
    element = fixture.nativeElement as HTMLElement;
    const component = fixture.componentInstance;
    component.approved.subscribe(() => emitted.push('approved'));
    component.hidden.subscribe(() => emitted.push('hidden'));
    component.muted.subscribe((muted) => emitted.push(muted ? 'muted' : 'unmuted'));
    component.banned.subscribe(() => emitted.push('banned'));
    fixture.componentRef.setInput('message', aMessage({ authorName: 'Troll', status: 'pending' }));
    await fixture.whenStable();
  });

  it('offers approval for a held message, and moderation of an audience member', () => {
    expect(buttons()).toEqual(['Approve', 'Hide', 'Mute', 'Ban']);
  });

  it('asks once more before banning', async () => {
    await click('Ban');
    expect(element.textContent).toContain('Ban Troll? They lose access to the event at once.');
    await click('Cancel');
    expect(emitted).toEqual([]);
    await click('Ban');
    await click('Ban Troll');
    expect(emitted).toEqual(['banned']);
  });

  it('offers to unmute a muted author, and nothing more for a banned one', async () => {
    fixture.componentRef.setInput('isMuted', true);
    await fixture.whenStable();
    await click('Unmute');
    expect(emitted).toEqual(['unmuted']);
    fixture.componentRef.setInput('isBanned', true);
    await fixture.whenStable();
    expect(buttons()).toEqual(['Approve', 'Hide']);
    expect(element.textContent).toContain('Banned');
  });

  it('does not offer to mute or ban a speaker', async () => {
    fixture.componentRef.setInput('message', aMessage({ authorRole: 'speaker', authorOutlet: null }));
    await fixture.whenStable();
    expect(buttons()).toEqual(['Hide']);
  });
});
