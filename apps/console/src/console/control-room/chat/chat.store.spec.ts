import { TestBed } from '@angular/core/testing';
import { NoticesStore } from '../../notices/notices.store';
import { Moderation } from '../moderation';
import {
  aMessage,
  aRestriction,
  aState,
  FakeControlRoomLive,
  provideFakeLive,
} from '../testing/fake-control-room-live';
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

  it('lists who is muted or banned from the snapshot, and the changes any moderator makes', () => {
    live.emit('state', aState({ restrictions: [aRestriction({ participantId: 'p1', muted: true })] }));
    expect([...store.muted()]).toEqual(['p1']);

    live.emit('user:restriction', aRestriction({ participantId: 'p2', muted: false, banned: true }));
    expect([...store.banned()]).toEqual(['p2']);
    live.emit('user:restriction', aRestriction({ participantId: 'p1', muted: false, banned: false }));
    expect(store.muted().size).toBe(0);
    expect(store.restrictions().map((person) => person.participantId)).toEqual(['p2']);

    live.emit('state', aState());
    expect(store.restrictions()).toEqual([]);
  });

  it('mutes at once with the author’s name from their message, and takes it back when refused', async () => {
    live.emit('state', aState({ chat: [aMessage({ participantId: 'p1', authorName: 'Troll', authorOutlet: null })] }));
    const muting = store.setMuted('p1', true);
    expect(store.restrictions()).toEqual([
      { participantId: 'p1', name: 'Troll', outlet: null, role: 'journalist', muted: true, banned: false },
    ]);
    expect(live.sent[0]).toMatchObject({ action: 'user:mute', request: { participantId: 'p1', muted: true } });
    live.answer({ code: 'forbidden', message: 'Only audience members can be muted or banned' });
    expect(await muting).toBe(false);
    expect(store.restrictions()).toEqual([]);
  });

  it('keeps an accepted mute whether the server’s event comes before or after the answer', async () => {
    live.emit('state', aState({ chat: [aMessage({ participantId: 'p1' }), aMessage({ participantId: 'p2' })] }));
    const first = store.setMuted('p1', true);
    live.emit('user:restriction', aRestriction({ participantId: 'p1' }));
    live.answer();
    expect(await first).toBe(true);

    const second = store.ban('p2');
    live.answer();
    expect(await second).toBe(true);
    expect([...store.banned()]).toEqual(['p2']);
    live.emit('user:restriction', aRestriction({ participantId: 'p2', muted: false, banned: true }));
    expect([...store.muted()]).toEqual(['p1']);
    expect([...store.banned()]).toEqual(['p2']);
    expect(store.restrictions()).toHaveLength(2);
  });

  it('unmutes someone listed but with no message in view', async () => {
    live.emit('state', aState({ restrictions: [aRestriction({ participantId: 'p1' })] }));
    const unmuting = store.setMuted('p1', false);
    expect(store.restrictions()).toEqual([]);
    live.answer();
    expect(await unmuting).toBe(true);
    expect(store.muted().size).toBe(0);
  });
});
