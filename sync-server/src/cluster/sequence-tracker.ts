/**
 * Sequence numbers of one document's Update messages. Ours count the Updates
 * this process published for the document (the sender id changes on restart,
 * so a restarted node starts again at 1); for each peer we keep the highest
 * seq received. A seq beyond the next expected one means pub/sub lost
 * something; a digest announcing a seq we never received means the loss was
 * at the end (nothing later will reveal it). Two marks on our own sequence
 * say how much of it the update log has cut into a batch and committed.
 */
export class SequenceTracker {
  private sentSeq = 0;
  private cutSeq = 0;
  private durableSeq = 0;
  private readonly received = new Map<string, number>();

  /** Our last published seq. */
  get sent(): number {
    return this.sentSeq;
  }

  /** Numbers our next Update. */
  next(): number {
    this.sentSeq += 1;
    return this.sentSeq;
  }

  /** Highest seq received from each peer: a digest's `seen`, so a peer can tell "behind" from "diverged". Not to be modified. */
  get seen(): Map<string, number> {
    return this.received;
  }

  /**
   * An Update from `sender`. True when earlier ones were missed: first
   * contact after its first update, or a hole in its sequence. Duplicates and
   * late (reordered) ones are not gaps.
   */
  receiveUpdate(sender: string, seq: number): boolean {
    const last = this.received.get(sender);
    this.received.set(sender, Math.max(last ?? 0, seq));
    return last === undefined ? seq > 1 : seq > last + 1;
  }

  /** A Digest carries its sender's last seq. True when it published Updates we never received (a trailing loss). */
  receiveDigest(sender: string, seq: number): boolean {
    const last = this.received.get(sender) ?? 0;
    if (seq <= last) return false;
    this.received.set(sender, seq);
    return true;
  }

  /** A peer that has received up to `seenByPeer` of ours has every Update we published. */
  peerHasAllSent(seenByPeer: number): boolean {
    return seenByPeer >= this.sentSeq;
  }

  /** The update log cut a batch holding everything we published so far. */
  markCut(): void {
    this.cutSeq = this.sentSeq;
  }

  /** The last cut batch committed. True when that moved the durable mark (peers should hear of it). */
  markCommitted(): boolean {
    if (this.cutSeq <= this.durableSeq) return false;
    this.durableSeq = this.cutSeq;
    return true;
  }

  /** Our Updates up to this seq are committed: peers may forget their copies. */
  get durable(): number {
    return this.durableSeq;
  }
}
