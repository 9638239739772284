import { OptimisticState, type Outcome } from './optimistic';

describe('OptimisticState', () => {
  /** An answer the test gives when it wants. */
  function pendingAnswer() {
    let answer!: (outcome: Outcome<string>) => void;
    const promise = new Promise<Outcome<string>>((resolve) => (answer = resolve));
    return { send: () => promise, answer };
  }
  const add = (item: string) => (list: readonly string[]) => (list.includes(item) ? list : [...list, item]);

  it('shows a change at once and keeps it when accepted', async () => {
    const state = new OptimisticState<readonly string[]>([]);
    const { send, answer } = pendingAnswer();
    const applying = state.apply(add('a'), send);
    expect(state.value()).toEqual(['a']);
    answer({ ok: true });
    expect(await applying).toBeNull();
    expect(state.value()).toEqual(['a']);
  });

  it('drops a refused change, returns the refusal, and keeps what the server confirmed meanwhile', async () => {
    const state = new OptimisticState<readonly string[]>(['x']);
    const { send, answer } = pendingAnswer();
    const applying = state.apply(add('mine'), send);
    state.confirm(add('theirs'));
    expect(state.value()).toEqual(['x', 'theirs', 'mine']);
    answer({ ok: false, error: 'no' });
    expect(await applying).toBe('no');
    expect(state.value()).toEqual(['x', 'theirs']);
  });

  it('keeps later changes on top of a new snapshot until they are answered', async () => {
    const state = new OptimisticState<readonly string[]>([]);
    const { send, answer } = pendingAnswer();
    const applying = state.apply(add('mine'), send);
    state.reset(['snapshot']);
    expect(state.value()).toEqual(['snapshot', 'mine']);
    answer({ ok: true });
    await applying;
    expect(state.value()).toEqual(['snapshot', 'mine']);
  });

  it('takes the change back when sending throws', async () => {
    const state = new OptimisticState<readonly string[]>([]);
    await expect(state.apply(add('a'), () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(state.value()).toEqual([]);
  });
});
