import { TestBed } from '@angular/core/testing';
import { NoticesStore } from '../../notices/notices.store';
import { Moderation } from '../moderation';
import { aQuestion, aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { QuestionsStore } from './questions.store';

describe('QuestionsStore', () => {
  let live: FakeControlRoomLive;
  let store: QuestionsStore;
  let notices: NoticesStore;
  const ids = (questions: ReadonlyArray<{ id: string }>) => questions.map((q) => q.id);

  beforeEach(() => {
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({ providers: [provideFakeLive(live), Moderation, QuestionsStore] });
    store = TestBed.inject(QuestionsStore);
    notices = TestBed.inject(NoticesStore);
  });

  it('sorts the snapshot into pending (oldest first), the queue (by position) and answered', () => {
    const newer = aQuestion({ id: 'newer', createdAt: '2026-01-15T10:05:00.000Z' });
    const older = aQuestion({ id: 'older', createdAt: '2026-01-15T10:01:00.000Z' });
    const second = aQuestion({ id: 'second', status: 'approved', position: 2 });
    const first = aQuestion({ id: 'first', status: 'approved', position: 1, onAir: true });
    const done = aQuestion({ id: 'done', status: 'answered', position: 3 });
    live.emit('state', aState({ questions: [newer, second, done, older, first] }));

    expect(ids(store.pending())).toEqual(['older', 'newer']);
    expect(ids(store.queue())).toEqual(['first', 'second']);
    expect(ids(store.answered())).toEqual(['done']);
    expect(store.onAir()?.id).toBe('first');
  });

  it('orders the queue as every client does: without a position last, equal positions oldest first', () => {
    const unplaced = aQuestion({ id: 'unplaced', status: 'approved', position: null });
    const newer = aQuestion({ id: 'newer', status: 'approved', position: 1, createdAt: '2026-01-15T10:05:00.000Z' });
    const older = aQuestion({ id: 'older', status: 'approved', position: 1, createdAt: '2026-01-15T10:01:00.000Z' });
    live.emit('state', aState({ questions: [unplaced, newer, older] }));

    expect(ids(store.queue())).toEqual(['older', 'newer', 'unplaced']);
  });

  it('takes new, approved, changed, removed and reordered questions as the server sends them', () => {
    live.emit('state', aState());
    const asked = aQuestion({ id: 'a' });
    live.emit('question:pending', asked);
    expect(ids(store.pending())).toEqual(['a']);

    live.emit('question:approved', { ...asked, status: 'approved', position: 1 });
    live.emit('question:approved', aQuestion({ id: 'b', status: 'approved', position: 2 }));
    expect(store.pending()).toEqual([]);
    expect(ids(store.queue())).toEqual(['a', 'b']);

    live.emit('question:updated', { ...asked, status: 'approved', position: 1, votes: 3 });
    expect(store.queue()[0]!.votes).toBe(3);

    live.emit('question:reordered', { questionIds: ['b', 'a'] });
    expect(ids(store.queue())).toEqual(['b', 'a']);

    live.emit('question:removed', { id: 'b' });
    expect(ids(store.queue())).toEqual(['a']);
  });

  it('drops a question that an update says was rejected', () => {
    const question = aQuestion({ id: 'gone' });
    live.emit('state', aState({ questions: [question] }));
    live.emit('question:updated', { ...question, status: 'rejected' });
    expect(store.pending()).toEqual([]);
  });

  it('approves at once, at the end of the queue, and keeps it when the server agrees', async () => {
    live.emit(
      'state',
      aState({ questions: [aQuestion({ id: 'queued', status: 'approved', position: 4 }), aQuestion({ id: 'new' })] }),
    );
    const approving = store.approve('new');

    expect(store.pending()).toEqual([]);
    expect(ids(store.queue())).toEqual(['queued', 'new']);
    expect(live.sent[0]).toMatchObject({ action: 'question:approve', request: { questionId: 'new' } });

    live.answer();
    expect(await approving).toBe(true);
    expect(ids(store.queue())).toEqual(['queued', 'new']);
    expect(notices.notices()).toEqual([]);
  });

  it('puts a refused approval back in pending and says why', async () => {
    const question = aQuestion({ id: 'stale' });
    live.emit('state', aState({ questions: [question] }));
    const approving = store.approve('stale');
    expect(ids(store.queue())).toEqual(['stale']);

    live.answer({ code: 'invalid_state', message: 'This question is rejected' });
    expect(await approving).toBe(false);
    expect(ids(store.pending())).toEqual(['stale']);
    expect(store.queue()).toEqual([]);
    expect(notices.notices()).toEqual([
      expect.objectContaining({
        kind: 'error',
        text: 'Could not approve the question: This question is rejected. The change was undone.',
      }),
    ]);
  });

  it('keeps what the server sent while an action waited, when it rolls the action back', async () => {
    live.emit('state', aState({ questions: [aQuestion({ id: 'mine' })] }));
    const approving = store.approve('mine');
    live.emit('question:pending', aQuestion({ id: 'meanwhile' }));
    live.answer({ code: 'internal', message: 'Something went wrong on the server' });
    await approving;
    expect(ids(store.pending()).sort()).toEqual(['meanwhile', 'mine']);
  });

  it('moves a question in the queue at once and sends the whole new order', async () => {
    const queue = ['a', 'b', 'c'].map((id, index) => aQuestion({ id, status: 'approved', position: index + 1 }));
    live.emit('state', aState({ questions: queue }));

    const moving = store.move(2, 0);
    expect(ids(store.queue())).toEqual(['c', 'a', 'b']);
    expect(live.sent[0]).toMatchObject({ action: 'question:order', request: { questionIds: ['c', 'a', 'b'] } });

    live.emit('question:reordered', { questionIds: ['c', 'a', 'b'] });
    live.answer();
    expect(await moving).toBe(true);
    expect(ids(store.queue())).toEqual(['c', 'a', 'b']);
  });

  it('restores the order when the server refuses it', async () => {
    const queue = ['a', 'b'].map((id, index) => aQuestion({ id, status: 'approved', position: index + 1 }));
    live.emit('state', aState({ questions: queue }));
    const moving = store.move(0, 1);
    expect(ids(store.queue())).toEqual(['b', 'a']);

    live.answer({ code: 'invalid_order', message: 'Send every question of the approved queue exactly once' });
    expect(await moving).toBe(false);
    expect(ids(store.queue())).toEqual(['a', 'b']);
    expect(notices.notices()[0]!.text).toContain('Could not reorder the queue');
  });

  it('sends nothing for a move to the same place', async () => {
    live.emit('state', aState({ questions: [aQuestion({ status: 'approved', position: 1 })] }));
    expect(await store.move(0, 0)).toBe(true);
    expect(live.sent).toEqual([]);
  });

  it('keeps one question on air: putting another on air takes the first off, null clears the air', async () => {
    const first = aQuestion({ id: 'first', status: 'approved', position: 1, onAir: true });
    const second = aQuestion({ id: 'second', status: 'approved', position: 2 });
    live.emit('state', aState({ questions: [first, second] }));

    const switching = store.putOnAir('second');
    expect(store.onAir()?.id).toBe('second');
    expect(store.queue().filter((q) => q.onAir)).toHaveLength(1);
    live.answer();
    await switching;

    const clearing = store.putOnAir(null);
    expect(store.onAir()).toBeNull();
    expect(live.sent[0]).toMatchObject({ action: 'question:onAir', request: { questionId: null } });
    live.answer({ code: 'internal', message: 'Something went wrong on the server' });
    await clearing;
    expect(store.onAir()?.id).toBe('second');
    expect(notices.notices()[0]!.text).toContain('Could not take the question off air');
  });

  it('marks a question answered: out of the queue and off air', async () => {
    live.emit('state', aState({ questions: [aQuestion({ id: 'a', status: 'approved', position: 1, onAir: true })] }));
    const marking = store.markAnswered('a');
    expect(store.queue()).toEqual([]);
    expect(ids(store.answered())).toEqual(['a']);
    expect(store.onAir()).toBeNull();
    live.answer();
    expect(await marking).toBe(true);
  });

  it('edits a typo at once, trimmed, and rejects a question out of every list', async () => {
    live.emit('state', aState({ questions: [aQuestion({ id: 'a', text: 'Teh budget' }), aQuestion({ id: 'b' })] }));
    const editing = store.edit('a', '  The budget ');
    expect(store.pending()[0]!.text).toBe('The budget');
    expect(live.sent[0]!.request).toEqual({ questionId: 'a', text: 'The budget' });
    live.answer();
    await editing;

    const rejecting = store.reject('b');
    expect(ids(store.pending())).toEqual(['a']);
    live.answer({ code: 'not_found', message: 'Question not found' });
    await rejecting;
    expect(ids(store.pending())).toEqual(['a', 'b']);
  });

  it('rolls back an action that got no answer (the connection dropped)', async () => {
    live.emit('state', aState({ questions: [aQuestion({ id: 'a' })] }));
    const approving = store.approve('a');
    live.sent.shift()!.answer({ ok: false, error: { code: 'disconnected', message: 'The connection dropped' } });
    expect(await approving).toBe(false);
    expect(ids(store.pending())).toEqual(['a']);
  });
});
