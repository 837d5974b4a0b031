import * as Y from 'yjs';

/** A Yjs state vector as a map: clientID -> next clock (number of structs that client wrote). */
export type StateVector = ReadonlyMap<number, number>;

/**
 * How many of *my* changes are not yet durable. A change is mine when its
 * clientID authored a local transaction in this browser (this session or an
 * earlier one, e.g. edits made offline before a reload). Changes by other
 * people are someone else's to save, so they never count, even while the node
 * has not acknowledged them yet.
 */
export function countPendingChanges(
  local: StateVector,
  durable: StateVector,
  localAuthors: ReadonlySet<number>,
): number {
  let pending = 0;
  for (const clientId of localAuthors) {
    const localClock = local.get(clientId) ?? 0;
    const durableClock = durable.get(clientId) ?? 0;
    pending += Math.max(0, localClock - durableClock);
  }
  return pending;
}

/**
 * Durability only grows: an acknowledgement never un-saves anything, and acks
 * may arrive out of order, so vectors merge by taking the larger clock.
 */
export function mergeStateVectors(a: StateVector, b: StateVector): Map<number, number> {
  const merged = new Map(a);
  for (const [clientId, clock] of b) merged.set(clientId, Math.max(clock, merged.get(clientId) ?? 0));
  return merged;
}

export function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

export function decodeStateVector(encoded: Uint8Array): Map<number, number> {
  return Y.decodeStateVector(encoded);
}
