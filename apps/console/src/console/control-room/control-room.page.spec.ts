import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { EventDetails } from '@pressroom/protocol';
import { ApiClient } from '@pressroom/live-client';
import { NoticesStore } from '../notices/notices.store';
import { ControlRoomLive } from './control-room-live';
import { ControlRoomPage } from './control-room.page';
import {
  aHand,
  aMessage,
  aQuestion,
  aRestriction,
  aState,
  FakeControlRoomLive,
} from './testing/fake-control-room-live';

describe('ControlRoomPage', () => {
  let live: FakeControlRoomLive;
  let fixture: ComponentFixture<ControlRoomPage>;
  let element: HTMLElement;
  let patches: Array<[string, unknown]>;

  const section = (title: string) =>
    [...element.querySelectorAll('section')].find((s) => s.querySelector('h2')?.textContent?.includes(title))!;
  const counter = (id: string) => element.querySelector(`[data-testid="counter-${id}"]`)!.textContent!.trim();
  const buttonIn = (root: Element, name: string) =>
    [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;

  beforeEach(async () => {
    live = new FakeControlRoomLive();
    const details = { ...aState().event, id: 'e1', retentionHours: 0 } as EventDetails;
    patches = [];
    const api = {
      get: async (path: string) => (path.endsWith('/details') ? details : []),
      patch: async (path: string, body: object) => {
        patches.push([path, body]);
        return { ...details, ...body };
      },
    };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: ApiClient, useValue: api }] });
    TestBed.overrideComponent(ControlRoomPage, {
      remove: { providers: [ControlRoomLive] },
      add: { providers: [{ provide: ControlRoomLive, useValue: live }] },
    });
    fixture = TestBed.createComponent(ControlRoomPage);
    fixture.componentRef.setInput('slug', 'budget');
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    live.emit('state', aState());
    await fixture.whenStable();
  });

  it('shows the event and a new question as soon as the server sends it', async () => {
    expect(element.querySelector('h1')!.textContent).toBe('Budget briefing');
    expect(section('Pending questions').textContent).toContain('No questions waiting');

    live.emit('question:pending', aQuestion({ id: 'q', text: 'What about rail?' }));
    await fixture.whenStable();
    expect(section('Pending questions').textContent).toContain('What about rail?');
    expect(counter('pending')).toBe('1');
  });

  it('moves an approved question to the queue at once, and back with a message when the server refuses', async () => {
    live.emit('question:pending', aQuestion({ id: 'q', text: 'What about rail?' }));
    await fixture.whenStable();

    buttonIn(section('Pending questions'), 'Approve').click();
    await fixture.whenStable();
    expect(section('Approved queue').textContent).toContain('What about rail?');
    expect(section('Pending questions').textContent).not.toContain('What about rail?');
    expect(counter('queue')).toBe('1');

    live.answer({ code: 'invalid_state', message: 'This question is rejected' });
    await new Promise((resolve) => setTimeout(resolve)); // the answer travels through a few promises
    await fixture.whenStable();
    expect(section('Pending questions').textContent).toContain('What about rail?');
    expect(section('Approved queue').textContent).not.toContain('What about rail?');
    expect(
      TestBed.inject(NoticesStore)
        .notices()
        .map((n) => n.text),
    ).toEqual(['Could not approve the question: This question is rejected. The change was undone.']);
  });

  it('counts the audience from the server, and the hands still waiting', async () => {
    live.emit('counters', {
      audienceOnline: 42,
      speakersOnline: 2,
    });
    live.emit('hand:queue', { hands: [aHand(), aHand({ status: 'acknowledged' })] });
    await fixture.whenStable();
    expect(counter('audience')).toBe('42');
    expect(counter('speakers')).toBe('2');
    expect(counter('hands')).toBe('1');
  });

  it('marks messages of people another moderator muted or banned, from the snapshot and as it happens', async () => {
    const ana = aMessage({ participantId: 'ana', authorName: 'Ana García', text: 'Hello from Madrid' });
    const ben = aMessage({ participantId: 'ben', authorName: 'Ben Okafor', text: 'Any news on rail?' });
    live.emit('state', aState({ chat: [ana, ben], restrictions: [aRestriction({ participantId: 'ana' })] }));
    await fixture.whenStable();
    const chat = section('Chat');
    const message = (text: string) =>
      [...chat.querySelectorAll('li')].find((li) => li.textContent!.includes(text))!.textContent!;
    expect(message('Hello from Madrid')).toContain('Muted');
    expect(message('Hello from Madrid')).toContain('Unmute');
    expect(message('Any news on rail?')).not.toContain('Muted');
    expect(chat.querySelector('summary')!.textContent).toContain('Muted and banned 1');

    live.emit('user:restriction', aRestriction({ participantId: 'ben', name: 'Ben Okafor', banned: true }));
    await fixture.whenStable();
    expect(message('Any news on rail?')).toContain('Banned');
    expect(chat.querySelector('summary')!.textContent).toContain('Muted and banned 2');
  });

  it('locks joining and unlocks it, showing the lock as the server stored it', async () => {
    const lock = () => element.querySelector<HTMLInputElement>('[data-testid="join-lock"]')!;
    expect(lock().checked).toBe(false);
    expect(section('Broadcast').textContent).toContain('Anyone with the viewer link may join');

    lock().click();
    await new Promise((resolve) => setTimeout(resolve)); // the answer travels through a few promises
    await fixture.whenStable();
    expect(patches).toEqual([['/api/events/budget', { joinLocked: true }]]);
    expect(lock().checked).toBe(true);
    expect(section('Broadcast').textContent).toContain('Nobody new may join');

    // Another moderator unlocks it: every control room follows.
    live.emit('event:status', { status: 'scheduled', event: { ...aState().event, joinLocked: false } });
    await fixture.whenStable();
    expect(lock().checked).toBe(false);
    lock().click();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(patches[1]).toEqual(['/api/events/budget', { joinLocked: true }]);
  });

  it('says when the connection is lost', async () => {
    live.status.set('reconnecting');
    live.problem.set('The connection dropped');
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')!.textContent).toContain(
      'Connection trouble: The connection dropped',
    );
    expect(element.textContent).toContain('Reconnecting…');
  });
});
