import type { ClusterScheduler } from './scheduler.js';
import type { SequenceTracker } from './sequence-tracker.js';

/** At most one standalone "durable" notice per document per this period (updates carry it too). */
export const DURABLE_NOTICE_MS = 50;

/** What a Durable notice says: our updates up to `seq` are committed, and our durable state vector. */
export interface DurableNotice {
  seq: number;
  stateVector?: Uint8Array;
}

/**
 * Tells peers that our updates to one document are committed, so they can
 * drop their unconfirmed copies (unconfirmed-ledger.ts). Every Update
 * carries the durable seq too; the standalone notice is for a commit no
 * Update follows soon, and is sent at most once per `DURABLE_NOTICE_MS`.
 */
export class DurableNotices {
  private cancelPending: (() => void) | undefined;
  /** Our durable state vector as of the last commit, announced with the notice. */
  private vector: Uint8Array | undefined;

  constructor(
    private readonly sequence: SequenceTracker,
    private readonly scheduler: ClusterScheduler,
    private readonly send: (notice: DurableNotice) => void,
  ) {}

  /**
   * The last cut batch committed. `stateVector` is read now, not when the
   * notice leaves (the document may unload in between). No notice while no
   * peer has been heard from: nobody holds our updates.
   */
  committed(stateVector: () => Uint8Array | undefined, peersHeard: boolean): void {
    if (!this.sequence.markCommitted()) return;
    this.announce(stateVector, peersHeard);
  }

  /**
   * Our durable state vector grew without a commit of our updates (a peer's
   * notice filled the gap before ranges we stored), or peers may have missed
   * our notices (Redis reconnected): peers hear it too, within the period.
   */
  announce(stateVector: () => Uint8Array | undefined, peersHeard: boolean): void {
    this.vector = stateVector();
    if (this.cancelPending || !peersHeard) return;
    this.cancelPending = this.scheduler.after(DURABLE_NOTICE_MS, () => this.sendNow());
  }

  /** A notice is scheduled and has not left yet. */
  get waiting(): boolean {
    return this.cancelPending !== undefined;
  }

  /** Sends the notice now (e.g. the document unloads), instead of when scheduled. */
  sendNow(): void {
    this.cancel();
    this.send({ seq: this.sequence.durable, ...(this.vector ? { stateVector: this.vector } : {}) });
  }

  cancel(): void {
    this.cancelPending?.();
    this.cancelPending = undefined;
  }
}
