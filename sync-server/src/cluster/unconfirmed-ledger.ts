/** Bound on unconfirmed updates kept per sender and document; beyond it the oldest are stored by the receiver. */
export const MAX_UNCONFIRMED_UPDATES = 10_000;

/** One sender's updates taken out of the ledger, oldest first, for the receiver to store. */
export interface TakenUpdates {
  sender: string;
  updates: Uint8Array[];
}

interface HeldUpdate {
  seq: number;
  update: Uint8Array;
  receivedAt: number;
}

/**
 * One document's updates received from peers that their sender has not yet
 * said are committed (durable). A sender confirms with the `durableSeq` of
 * its next Update or with a Durable notice; what it never confirms (it died
 * between publish and commit) the receiver takes out and stores itself —
 * after a while, when a batch of its own may depend on it, or when the
 * document unloads. Storing a duplicate is harmless; losing an update the
 * author was told is saved is not.
 */
export class UnconfirmedLedger {
  private readonly held = new Map<string, HeldUpdate[]>();

  constructor(private readonly maxPerSender = MAX_UNCONFIRMED_UPDATES) {}

  /** Peers with updates held. */
  get senders(): number {
    return this.held.size;
  }

  /**
   * Holds a peer's update until confirmed; `durableSeq` (carried by the same
   * Update) confirms earlier ones. Returns the oldest updates beyond the
   * bound, which the caller stores now.
   */
  hold(sender: string, seq: number, update: Uint8Array, durableSeq: number, receivedAt: number): TakenUpdates | undefined {
    let list = this.held.get(sender);
    if (!list) this.held.set(sender, (list = []));
    list.push({ seq, update, receivedAt });
    this.confirm(sender, durableSeq);
    return list.length > this.maxPerSender ? this.takeFrom(sender, list.length - this.maxPerSender) : undefined;
  }

  /** `sender` committed its updates up to `durableSeq`: forget them. */
  confirm(sender: string, durableSeq: number): void {
    const list = this.held.get(sender);
    if (!list) return;
    let drop = 0;
    while (drop < list.length && list[drop]!.seq <= durableSeq) drop += 1;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) this.held.delete(sender);
  }

  /** Takes every update received at or before `receivedAtOrBefore` (everything by default), per sender. */
  take(receivedAtOrBefore = Number.POSITIVE_INFINITY): TakenUpdates[] {
    const taken: TakenUpdates[] = [];
    for (const [sender, list] of this.held) {
      let count = 0;
      while (count < list.length && list[count]!.receivedAt <= receivedAtOrBefore) count += 1;
      if (count > 0) taken.push(this.takeFrom(sender, count));
    }
    return taken;
  }

  private takeFrom(sender: string, count: number): TakenUpdates {
    const list = this.held.get(sender)!;
    const taken = list.splice(0, count);
    if (list.length === 0) this.held.delete(sender);
    return { sender, updates: taken.map((held) => held.update) };
  }
}
