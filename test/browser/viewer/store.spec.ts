import type { ChatMessageView, LiveState, PublicEvent, QuestionView } from '@pressroom/protocol';
import { ViewerStore } from '../../../apps/viewer/src/store';

const event: PublicEvent = {
  slug: 'budget',
  title: 'Budget press conference',
  description: '',
  startsAt: '2026-01-01T10:00:00.000Z',
  status: 'scheduled',
  chatMode: 'pre',
  questionsEnabled: true,
  passwordRequired: false,
  slowModeSeconds: 0,
  joinLocked: false,
  startedAt: null,
  endedAt: null,
  language: null,
};

const message = (id: string, second: number, fields: Partial<ChatMessageView> = {}): ChatMessageView => ({
  id,
  participantId: 'someone',
  authorName: 'Someone',
  authorOutlet: null,
  authorRole: 'viewer',
  text: `message ${id}`,
  status: 'visible',
  createdAt: `2026-01-01T10:00:${String(second).padStart(2, '0')}.000Z`,
  ...fields,
});

const question = (id: string, fields: Partial<QuestionView> = {}): QuestionView => ({
  id,
  participantId: 'journalist',
  name: 'Ana García',
  outlet: 'El País',
  text: `question ${id}`,
  status: 'approved',
  position: 1,
  votes: 0,
  onAir: false,
  createdAt: '2026-01-01T10:00:00.000Z',
  ...fields,
});

const snapshot = (fields: Partial<LiveState> = {}): LiveState => ({
  me: { participantId: 'me', role: 'journalist', name: 'Ana García', outlet: 'El País', muted: false },
  event,
  chat: [],
  questions: [],
  votedQuestionIds: [],
  restrictions: [],
  stage: null,
  myStage: null,
  hand: null,
  hands: [],
  counters: null,
  ...fields,
});

describe('viewer store: the page state kept from the /live snapshot and the events after it', () => {
  it('keeps the chat in time order, a late-approved message in its place, and replaces a message by id', () => {
    const store = new ViewerStore(event);
    store.applySnapshot(snapshot({ chat: [message('a', 1), message('c', 3)] }));
    store.putChatMessage(message('b', 2));
    expect(store.state.chat.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    store.putChatMessage(message('b', 2, { text: 'edited' }));
    expect(store.state.chat.map((m) => m.text)).toEqual(['message a', 'edited', 'message c']);
    store.putChatMessage(message('b', 2, { status: 'hidden' }));
    expect(store.state.chat.map((m) => m.id)).toEqual(['a', 'c']);
  });

  it('keeps my own messages and questions awaiting approval across a reconnect, but not for someone else', () => {
    const store = new ViewerStore(event);
    store.applySnapshot(snapshot());
    store.putChatMessage(message('mine', 5, { participantId: 'me', status: 'pending' }));
    store.addMyPendingQuestion(question('q1', { status: 'pending', position: null }));

    store.applySnapshot(snapshot({ chat: [message('other', 1)] }));
    expect(store.state.chat.map((m) => m.id)).toEqual(['other', 'mine']);
    expect(store.state.myPendingQuestions.map((q) => q.id)).toEqual(['q1']);

    // Approved while disconnected: the snapshot has it, so it is no longer mine-only.
    store.applySnapshot(snapshot({ questions: [question('q1')] }));
    expect(store.state.myPendingQuestions).toEqual([]);
    expect(store.state.questions.map((q) => q.id)).toEqual(['q1']);

    store.applySnapshot(snapshot({ me: { ...snapshot().me, participantId: 'new-me' } }));
    expect(store.state.chat).toEqual([]);
  });

  it('knows who I am from the join, before the snapshot; joining as someone else drops what was only mine', () => {
    const store = new ViewerStore(event);
    const me = snapshot().me;
    store.joined(me);
    expect(store.state.me).toEqual(me);
    store.applySnapshot(snapshot());
    store.putChatMessage(message('mine', 5, { participantId: 'me', status: 'pending' }));
    store.addMyPendingQuestion(question('q1', { status: 'pending', position: null }));

    // The same access joined again (a reconnect's rejoin of the same participant): nothing changes.
    store.joined({ ...me, muted: false });
    expect(store.state.chat.map((m) => m.id)).toEqual(['mine']);

    store.joined({ ...me, participantId: 'new-me', role: 'viewer', outlet: null });
    expect(store.state.me).toMatchObject({ participantId: 'new-me', role: 'viewer' });
    expect(store.state.chat).toEqual([]);
    expect(store.state.myPendingQuestions).toEqual([]);
  });

  it('orders approved questions by position, answered ones after, and follows a reorder', () => {
    const store = new ViewerStore(event);
    store.applySnapshot(snapshot());
    store.putQuestion(question('q1', { position: 1 }));
    store.putQuestion(question('q2', { position: 2 }));
    store.putQuestion(question('q3', { position: 3 }));
    store.putQuestion(question('q1', { position: 1, status: 'answered' }));
    expect(store.state.questions.map((q) => q.id)).toEqual(['q2', 'q3', 'q1']);
    store.reorderQuestions(['q3', 'q2']);
    expect(store.state.questions.map((q) => q.id)).toEqual(['q3', 'q2', 'q1']);
    store.removeQuestion('q2');
    expect(store.state.questions.map((q) => q.id)).toEqual(['q3', 'q1']);
  });

  it('an approved question leaves my pending ones; a vote is remembered with the count the server gave', () => {
    const store = new ViewerStore(event);
    store.applySnapshot(snapshot());
    store.addMyPendingQuestion(question('q1', { status: 'pending', position: null }));
    store.putQuestion(question('q1'));
    expect(store.state.myPendingQuestions).toEqual([]);
    store.voted('q1', 3);
    expect(store.state.votedQuestionIds.has('q1')).toBe(true);
    expect(store.state.questions[0]!.votes).toBe(3);
  });

  it('tells a watcher only about the parts it watches', () => {
    const store = new ViewerStore(event);
    const chatChanges: number[] = [];
    store.watch(['chat'], (state) => chatChanges.push(state.chat.length));
    store.setConnection('online');
    store.setHand(null);
    store.putChatMessage(message('a', 1));
    expect(chatChanges).toEqual([0, 1]);
  });
});
