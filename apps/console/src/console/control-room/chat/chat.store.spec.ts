import { TestBed } from '@angular/core/testing';
import { NoticesStore } from '../../notices/notices.store';
import { Moderation } from '../moderation';
import { aMessage, aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { ChatStore } from './chat.store';

describe('ChatStore', () => {
  let live: FakeControlRoomLive;
  let store: ChatStore;
  let notices: NoticesStore;
  const texts = (messages: ReadonlyArray<{ text: string }>) => messages.map((m) => m.text);

  beforeEach(() => {
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, ChatStore] });
    store = TestBed.inject(ChatStore);
    notices = TestBed.inject(NoticesStore);
  });

  it('separates messages held for approval from visible ones, keeping their order', () => {
    live.emit(
      'state',
      aState({
        chat: [aMessage({ text: 'one' }), aMessage({ text: 'held', status: 'pending' }), aMessage({ text: 'two' })],
      }),
    );
    live.emit('chat:message', aMessage({ text: 'three' }));
    expect(texts(store.visible())).toEqual(['one', 'two', 'three']);
    expect(texts(store.pending())).toEqual(['held']);
  });

  it('approves a held message at once; the server’s copy replaces it without a twin', async () => {
    const held = aMessage({ id: 'held', status: 'pending' });
    live.emit('state', aState({ chat: [held] }));
    const approving = store.approve('held');
    expect(store.pending()).toEqual([]);
    expect(texts(store.visible())).toEqual([held.text]);

    live.emit('chat:message', { ...held, status: 'visible' });
    live.answer();
    expect(await approving).toBe(true);
    expect(store.visible()).toHaveLength(1);
  });

  it('hides at once, and shows the message again when the server refuses', async () => {
    live.emit('state', aState({ chat: [aMessage({ id: 'rude', text: 'rude' })] }));
    const hiding = store.hide('rude');
    expect(store.visible()).toEqual([]);
    live.answer({ code: 'not_found', message: 'Message not found' });
    expect(await hiding).toBe(false);
    expect(texts(store.visible())).toEqual(['rude']);
    expect(notices.notices()[0]!.text).toBe('Could not hide the message: Message not found. The change was undone.');
  });

  it('removes a message another moderator hid', () => {
    live.emit('state', aState({ chat: [aMessage({ id: 'a' })] }));
    live.emit('chat:removed', { id: 'a' });
    expect(store.visible()).toEqual([]);
  });

  it('remembers whom it muted, unmuted and banned, and forgets a refused mute', async () => {
    live.emit('state', aState());
    const muting = store.setMuted('p1', true);
    expect(store.muted().has('p1')).toBe(true);
    expect(live.sent[0]).toMatchObject({ action: 'user:mute', request: { participantId: 'p1', muted: true } });
    live.answer();
    await muting;

    const unmuting = store.setMuted('p1', false);
    expect(store.muted().has('p1')).toBe(false);
    live.answer({ code: 'forbidden', message: 'Only audience members can be muted or banned' });
    await unmuting;
    expect(store.muted().has('p1')).toBe(true);

    const banning = store.ban('p2');
    expect(store.banned().has('p2')).toBe(true);
    live.answer();
    await banning;
    expect(store.banned().has('p2')).toBe(true);
  });

  it('keeps who was muted across a new snapshot (the server does not send it)', async () => {
    live.emit('state', aState());
    const muting = store.setMuted('p1', true);
    live.answer();
    await muting;
    live.emit('state', aState({ chat: [aMessage()] }));
    expect(store.muted().has('p1')).toBe(true);
    expect(store.visible()).toHaveLength(1);
  });
});
