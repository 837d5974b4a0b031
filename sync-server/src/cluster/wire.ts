import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The messages sync nodes exchange over Redis pub/sub, one channel per
 * document. Versioned so a rolling deploy can tell old frames from new.
 *
 * Every frame: version, kind, sender (a per-process id), target ('' = every
 * node holding the document), then the kind's body.
 */
export const CLUSTER_WIRE_VERSION = 1;

export const enum ClusterMessageKind {
  /** One document update, as applied by the sender. `seq` counts the sender's updates for the document. */
  Update = 0,
  /** An awareness update (y-protocols encoding). */
  Awareness = 1,
  /** "Here is my state vector, send me what I lack." `hello` also asks for awareness states. */
  SyncRequest = 2,
  /** The answer to a SyncRequest or a digest mismatch: an update relative to the target's state vector. */
  Diff = 3,
  /** Periodic anti-entropy: state vector + digest of the full state (incl. deletions) + the sender's last seq. */
  Digest = 4,
  /**
   * "My updates up to `seq` are committed to the update log": receivers may
   * forget their copies. Optionally followed by the sender's durable state
   * vector (what it knows is in Postgres); frames without it still decode.
   */
  Durable = 5,
}

export type ClusterMessage =
  | { kind: ClusterMessageKind.Update; sender: string; target: string; seq: number; durableSeq: number; sentAtMs: number; update: Uint8Array }
  | { kind: ClusterMessageKind.Durable; sender: string; target: string; seq: number; stateVector?: Uint8Array }
  | { kind: ClusterMessageKind.Awareness; sender: string; target: string; update: Uint8Array }
  | { kind: ClusterMessageKind.SyncRequest; sender: string; target: string; stateVector: Uint8Array; hello: boolean }
  | { kind: ClusterMessageKind.Diff; sender: string; target: string; update: Uint8Array }
  | {
      kind: ClusterMessageKind.Digest;
      sender: string;
      target: string;
      stateVector: Uint8Array;
      digest: Uint8Array;
      seq: number;
      /** Highest seq the sender has applied from each peer, so a peer can tell "behind" from "diverged". */
      seen: Map<string, number>;
    };

export class ClusterWireError extends Error {
  readonly code = 'cluster-wire';
}

export function encodeClusterMessage(message: ClusterMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, CLUSTER_WIRE_VERSION);
  encoding.writeVarUint(encoder, message.kind);
  encoding.writeVarString(encoder, message.sender);
  encoding.writeVarString(encoder, message.target);
  switch (message.kind) {
    case ClusterMessageKind.Update:
      encoding.writeVarUint(encoder, message.seq);
      encoding.writeVarUint(encoder, message.durableSeq);
      encoding.writeFloat64(encoder, message.sentAtMs);
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case ClusterMessageKind.Awareness:
    case ClusterMessageKind.Diff:
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case ClusterMessageKind.SyncRequest:
      encoding.writeVarUint8Array(encoder, message.stateVector);
      encoding.writeVarUint(encoder, message.hello ? 1 : 0);
      break;
    case ClusterMessageKind.Durable:
      encoding.writeVarUint(encoder, message.seq);
      if (message.stateVector) encoding.writeVarUint8Array(encoder, message.stateVector);
      break;
    case ClusterMessageKind.Digest:
      encoding.writeVarUint8Array(encoder, message.stateVector);
      encoding.writeVarUint8Array(encoder, message.digest);
      encoding.writeVarUint(encoder, message.seq);
      encoding.writeVarUint(encoder, message.seen.size);
      for (const [peer, seq] of message.seen) {
        encoding.writeVarString(encoder, peer);
        encoding.writeVarUint(encoder, seq);
      }
      break;
    default: {
      const unreachable: never = message;
      throw new ClusterWireError(`unknown kind ${String((unreachable as { kind: unknown }).kind)}`);
    }
  }
  return encoding.toUint8Array(encoder);
}

export function decodeClusterMessage(frame: Uint8Array): ClusterMessage {
  const decoder = decoding.createDecoder(frame);
  try {
    const version = decoding.readVarUint(decoder);
    if (version !== CLUSTER_WIRE_VERSION) {
      throw new ClusterWireError(`cluster frame version ${version}, expected ${CLUSTER_WIRE_VERSION}`);
    }
    const kind = decoding.readVarUint(decoder);
    const sender = decoding.readVarString(decoder);
    const target = decoding.readVarString(decoder);
    switch (kind) {
      case ClusterMessageKind.Update:
        return {
          kind,
          sender,
          target,
          seq: decoding.readVarUint(decoder),
          durableSeq: decoding.readVarUint(decoder),
          sentAtMs: decoding.readFloat64(decoder),
          update: decoding.readVarUint8Array(decoder),
        };
      case ClusterMessageKind.Awareness:
      case ClusterMessageKind.Diff:
        return { kind, sender, target, update: decoding.readVarUint8Array(decoder) };
      case ClusterMessageKind.SyncRequest:
        return { kind, sender, target, stateVector: decoding.readVarUint8Array(decoder), hello: decoding.readVarUint(decoder) === 1 };
      case ClusterMessageKind.Durable: {
        const seq = decoding.readVarUint(decoder);
        if (!decoding.hasContent(decoder)) return { kind, sender, target, seq };
        const stateVector = decoding.readVarUint8Array(decoder);
        return { kind, sender, target, seq, stateVector };
      }
      case ClusterMessageKind.Digest: {
        const stateVector = decoding.readVarUint8Array(decoder);
        const digest = decoding.readVarUint8Array(decoder);
        const seq = decoding.readVarUint(decoder);
        const seen = new Map<string, number>();
        for (let count = decoding.readVarUint(decoder); count > 0; count--) seen.set(decoding.readVarString(decoder), decoding.readVarUint(decoder));
        return { kind, sender, target, stateVector, digest, seq, seen };
      }
      default:
        throw new ClusterWireError(`unknown cluster message kind ${kind}`);
    }
  } catch (error) {
    if (error instanceof ClusterWireError) throw error;
    throw new ClusterWireError(`cluster frame does not decode: ${(error as Error).message}`);
  }
}
