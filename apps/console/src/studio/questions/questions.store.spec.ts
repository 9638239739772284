import { TestBed } from '@angular/core/testing';
import { question } from '../testing/fakes';
import { QuestionsStore } from './questions.store';

describe('QuestionsStore', () => {
  let store: QuestionsStore;
  const texts = () => store.upNext().map((q) => q.text);

  beforeEach(() => (store = TestBed.inject(QuestionsStore)));

  it('takes the approved and answered questions of a snapshot; the queue is in position order', () => {
    store.reset([
      question({ text: 'Third', position: 3 }),
      question({ text: 'First', position: 1 }),
      question({ text: 'Answered', status: 'answered', position: 2 }),
      question({ text: 'Pending', status: 'pending', position: null }),
      question({ text: 'Second', position: 2 }),
    ]);
    expect(texts()).toEqual(['First', 'Second', 'Third']);
    expect(store.answeredCount()).toBe(1);
    expect(store.onAir()).toBeNull();
  });

  it('adds newly approved questions at the end of the queue, and follows a reordering', () => {
    const [a, b] = [question({ text: 'A', position: 1 }), question({ text: 'B', position: 2 })];
    store.reset([a, b]);
    const c = question({ text: 'C', position: 3 });
    store.apply({ name: 'question:approved', payload: c });
    expect(texts()).toEqual(['A', 'B', 'C']);

    store.apply({ name: 'question:reordered', payload: { questionIds: [c.id, a.id, b.id] } });
    expect(texts()).toEqual(['C', 'A', 'B']);
  });

  it('shows the question on air apart from the queue, and moves the air when another goes on', () => {
    const [a, b] = [question({ text: 'A', position: 1 }), question({ text: 'B', position: 2 })];
    store.reset([a, b]);

    store.apply({ name: 'question:updated', payload: { ...b, onAir: true } });
    expect(store.onAir()?.text).toBe('B');
    expect(texts()).toEqual(['A']);

    // The server takes the old one off the air, then puts the new one on.
    store.apply({ name: 'question:updated', payload: { ...b, onAir: false } });
    store.apply({ name: 'question:updated', payload: { ...a, onAir: true } });
    expect(store.onAir()?.text).toBe('A');
    expect(texts()).toEqual(['B']);
  });

  it('an answered question leaves the queue and the air; a removed one is gone', () => {
    const [a, b] = [question({ text: 'A', onAir: true }), question({ text: 'B' })];
    store.reset([a, b]);

    store.apply({ name: 'question:updated', payload: { ...a, status: 'answered', onAir: false } });
    expect(store.onAir()).toBeNull();
    expect(store.answeredCount()).toBe(1);

    store.apply({ name: 'question:removed', payload: { id: b.id } });
    expect(texts()).toEqual([]);
  });

  it('an edit changes the text in place', () => {
    const a = question({ text: 'Frist' });
    store.reset([a]);
    store.apply({ name: 'question:updated', payload: { ...a, text: 'First' } });
    expect(texts()).toEqual(['First']);
  });

  it('ignores events about anything else', () => {
    store.reset([question({ text: 'A' })]);
    store.apply({ name: 'chat:removed', payload: { id: 'x' } });
    store.apply({ name: 'question:removed', payload: { id: 'unknown' } });
    expect(texts()).toEqual(['A']);
  });
});
