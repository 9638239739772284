/** How many live connections each client address holds on this node, refusing one over the cap. */
export class ConnectionsPerAddress {
  readonly #open = new Map<string, number>();

  constructor(readonly cap: number) {}

  /** A place for one more connection of `address` (its release, safe to call twice), or null at the cap. */
  take(address: string): (() => void) | null {
    const count = this.#open.get(address) ?? 0;
    if (count >= this.cap) return null;
    this.#open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left > 0) this.#open.set(address, left);
      else this.#open.delete(address);
    };
  }
}
