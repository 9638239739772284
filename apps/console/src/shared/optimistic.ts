import { computed, signal, type Signal } from '@angular/core';

/** A change to a value, written as a pure function that returns the new value. */
export type Change<T> = (value: T) => T;

/** How the server answered an action: only whether it refused, and why. */
export type Outcome<E> = { ok: true } | { ok: false; error: E };

/**
 * A value as the server last confirmed it, with this client's own changes on top while it waits for
 * the server's answer: the screen shows the result at once, and a refused change simply disappears
 * (nothing to undo by hand, and whatever the server sent meanwhile is kept).
 *
 * Changes must be harmless to apply twice (guard on the state they expect: "if still pending, approve"),
 * because an accepted change is kept in the confirmed value and the server's own event may apply it
 * again, before or after the acknowledgement.
 */
export class OptimisticState<T> {
  readonly #confirmed;
  readonly #waiting = signal<ReadonlyArray<{ readonly change: Change<T> }>>([]);
  /** What to show: the confirmed value with the changes still awaiting an answer applied in order. */
  readonly value: Signal<T>;

  constructor(initial: T) {
    this.#confirmed = signal(initial);
    this.value = computed(() => this.#waiting().reduce((value, { change }) => change(value), this.#confirmed()));
  }

  /** The server replaced the whole value (a fresh snapshot). */
  reset(value: T): void {
    this.#confirmed.set(value);
  }

  /** The server told of a change (an event). */
  confirm(change: Change<T>): void {
    this.#confirmed.update(change);
  }

  /** Shows `change` at once, sends the action, keeps the change if accepted; returns the refusal, or null. */
  async apply<E>(change: Change<T>, send: () => Promise<Outcome<E>>): Promise<E | null> {
    const entry = { change };
    this.#waiting.update((waiting) => [...waiting, entry]);
    let outcome: Outcome<E>;
    try {
      outcome = await send();
    } finally {
      this.#waiting.update((waiting) => waiting.filter((other) => other !== entry));
    }
    if (!outcome.ok) return outcome.error;
    this.#confirmed.update(change);
    return null;
  }
}
