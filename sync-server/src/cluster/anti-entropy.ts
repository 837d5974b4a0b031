import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { HEAL_REASONS } from './cluster-metrics.js';
import type { SequenceTracker } from './sequence-tracker.js';
import { type ClusterMessage, ClusterMessageKind } from './wire.js';

/**
 * Anti-entropy: what sequence numbers cannot reveal (a loss at the end of a
 * burst, a lost deletion — deletions do not move the state vector) a
 * periodic digest of the whole state does. A document shared with other
 * nodes sends one every interval; a receiver that finds the sender ahead of
 * it, or that has really diverged from it, heals by a state-vector exchange
 * in both directions.
 */

/** Why a heal (state-vector exchange) started: a `reason` of copycloud_sync_redis_heals_total. */
export type HealReason = (typeof HEAL_REASONS)[number];

export type DigestMessage = Extract<ClusterMessage, { kind: ClusterMessageKind.Digest }>;

/** A document counts as shared while a peer was heard from within this many anti-entropy intervals. */
export const SHARED_FOR_INTERVALS = 3;

/** Whether a document whose last peer message arrived at `lastPeerSeenAt` still gets digests. */
export function isShared(lastPeerSeenAt: number, now: number, intervalMs: number): boolean {
  return lastPeerSeenAt >= now - SHARED_FOR_INTERVALS * intervalMs;
}

/** A digest of the whole state: state vector and delete set (deletions do not move the state vector). */
export function stateDigest(doc: Y.Doc): Uint8Array {
  return createHash('sha1').update(Y.encodeSnapshot(Y.snapshot(doc))).digest();
}

/**
 * Our digest of a document. Send it only once everything applied here was
 * published (the outbox flushed): it must describe what peers have been sent,
 * or they see a mismatch that is not one.
 */
export function digestMessage(sender: string, doc: Y.Doc, sequence: SequenceTracker): DigestMessage {
  return {
    kind: ClusterMessageKind.Digest,
    sender,
    target: '',
    stateVector: Y.encodeStateVector(doc),
    digest: stateDigest(doc),
    seq: sequence.sent,
    seen: sequence.seen,
  };
}

/**
 * What a peer's digest says about our copy (and records the seq it carries).
 * - `trailing-loss`: it published updates we never received.
 * - `digest-mismatch`: it has seen every update we published, we have none
 *   unpublished, and still its state differs: the copies diverged.
 * A digest computed before our latest updates reached the sender differs for
 * a good reason (they are in flight), and so does one while our outbox holds
 * updates applied here but not yet published: neither proves anything.
 */
export function assessDigest(
  message: DigestMessage,
  local: { self: string; doc: Y.Doc; sequence: SequenceTracker; unpublished: boolean },
): HealReason | undefined {
  if (local.sequence.receiveDigest(message.sender, message.seq)) return 'trailing-loss';
  const caughtUp = !local.unpublished && local.sequence.peerHasAllSent(message.seen.get(local.self) ?? 0);
  if (caughtUp && Buffer.compare(Buffer.from(message.digest), Buffer.from(stateDigest(local.doc))) !== 0) return 'digest-mismatch';
  return undefined;
}

/** Whether a state vector claims something `doc` lacks (then we ask its owner for it). */
export function lacksSomething(doc: Y.Doc, theirStateVector: Uint8Array): boolean {
  const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(theirStateVector)) if ((ours.get(client) ?? 0) < clock) return true;
  return false;
}
