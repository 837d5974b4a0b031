import * as Y from 'yjs';
import type { ClockRanges } from '@copycloud/update-validation';

/**
 * What this node knows is in Postgres for one document, as a state vector:
 * per client, the clock below which every struct is committed. Built only
 * from facts: the state loaded from Postgres, the rows this node committed,
 * and the durable vectors peers announce for rows they committed. Updates
 * that merely sit in memory (a peer's not yet confirmed, or one applied
 * from Redis) never enter it, so a `saved` built from it never covers an edit
 * a double fault could still lose.
 *
 * Committed ranges can arrive out of order (a takeover stores a gap before
 * the rest): ranges past the contiguous prefix wait until it reaches them.
 */
export class DurableClocks {
  private readonly prefix = new Map<number, number>();
  private readonly ahead = new Map<number, Array<[number, number]>>();

  /** Every client's prefix taken from a state vector known to be committed. Returns the clients whose prefix advanced. */
  addStateVector(vector: ReadonlyMap<number, number>): Set<number> {
    const advanced = new Set<number>();
    for (const [client, clock] of vector) if (this.add(client, 0, clock)) advanced.add(client);
    return advanced;
  }

  addRanges(ranges: ClockRanges): void {
    for (const [client, list] of ranges) for (const [from, to] of list) this.add(client, from, to);
  }

  /** True when the client's prefix advanced (a range past it is parked, and returns false). */
  add(client: number, from: number, to: number): boolean {
    if (to <= from) return false;
    const current = this.prefix.get(client) ?? 0;
    if (from > current) {
      this.park(client, from, to);
      return false;
    }
    if (to <= current) return false;
    let reach = to;
    const parked = this.ahead.get(client);
    if (parked) {
      // Absorb parked ranges the prefix now reaches (they are sorted by start).
      let used = 0;
      while (used < parked.length && parked[used]![0] <= reach) {
        reach = Math.max(reach, parked[used]![1]);
        used += 1;
      }
      parked.splice(0, used);
      if (parked.length === 0) this.ahead.delete(client);
    }
    this.prefix.set(client, reach);
    return true;
  }

  get(client: number): number {
    return this.prefix.get(client) ?? 0;
  }

  /** The durable state vector, in Yjs' encoding (what a `saved` message carries). */
  encode(): Uint8Array {
    return Y.encodeStateVector(this.prefix);
  }

  private park(client: number, from: number, to: number): void {
    let list = this.ahead.get(client);
    if (!list) this.ahead.set(client, (list = []));
    list.push([from, to]);
    list.sort((a, b) => a[0] - b[0]);
    // Merge overlaps so the list stays short.
    let write = 0;
    for (let read = 1; read < list.length; read++) {
      const last = list[write]!;
      const next = list[read]!;
      if (next[0] <= last[1]) last[1] = Math.max(last[1], next[1]);
      else list[++write] = next;
    }
    list.length = write + 1;
  }
}
