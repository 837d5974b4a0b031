import { mergeUpdatesBalanced } from '../storage/merge-updates.js';

/**
 * One document's updates waiting to be published. Updates applied in one
 * event-loop turn (a burst read from one socket, or many clients at once)
 * leave as one merged message at the end of the turn: under load this
 * divides publishes and receiver work; alone, an update still leaves this
 * turn.
 */
export class Outbox {
  private updates: Uint8Array[] = [];

  /**
   * @param flush called once at the end of the turn in which the first
   *   update arrived; it publishes what `take()` returns.
   * @param defer how "end of the turn" is scheduled (tests step it by hand).
   */
  constructor(
    private readonly flush: () => void,
    private readonly defer: (run: () => void) => void = setImmediate,
  ) {}

  add(update: Uint8Array): void {
    this.updates.push(update);
    if (this.updates.length === 1) this.defer(this.flush);
  }

  /** Updates applied here that no peer has been sent yet. */
  get pending(): boolean {
    return this.updates.length > 0;
  }

  /**
   * Everything waiting, as one update (undefined when empty). Callers may
   * take early (a batch cut, a digest); the scheduled flush then finds the
   * outbox empty and publishes nothing.
   */
  take(): Uint8Array | undefined {
    if (this.updates.length === 0) return undefined;
    const update = this.updates.length === 1 ? this.updates[0]! : mergeUpdatesBalanced(this.updates);
    this.updates = [];
    return update;
  }
}
