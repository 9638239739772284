/** A tiny typed event map for the browser: each emitter declares `{ name: [args] }`, like mediasoup's own. */
export type EventMap<Events> = { [E in keyof Events]: unknown[] };

export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class TypedEvents<Events extends EventMap<Events>> {
  readonly #listeners = new Map<keyof Events, Set<unknown>>();

  /** Adds a listener; call the returned function to remove it. */
  on<E extends keyof Events>(name: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Calls every listener; one that throws is reported and does not keep the others from hearing. */
  emit<E extends keyof Events>(name: E, ...args: Events[E]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])] as Array<Listener<Events[E]>>) {
      try {
        listener(...args);
      } catch (error) {
        reportError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
