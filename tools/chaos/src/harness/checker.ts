import * as Y from 'yjs';
import type { DocumentStore } from '@copycloud/db';
import { TOKENS, type TokenRecord } from './workload.js';

/** One replica's state, as `Y.encodeStateAsUpdate` gives it. */
export interface ReplicaState {
  name: string;
  update: Uint8Array;
}

/**
 * A state in a form two replicas can be compared byte for byte: applied to a
 * fresh Y.Doc in one transaction (Yjs then merges every adjacent item it can,
 * whatever history each replica had) and encoded again.
 */
export interface CanonicalState {
  stateVector: Buffer;
  state: Buffer;
  tokens: string[];
  /**
   * Structs the state carries but Yjs cannot integrate yet, because what they
   * build on is missing: client → first missing clock. Null when none.
   */
  pendingOn: Map<number, number> | null;
}

export function canonical(update: Uint8Array): CanonicalState {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return {
      stateVector: Buffer.from(Y.encodeStateVector(doc)),
      state: Buffer.from(Y.encodeStateAsUpdate(doc)),
      tokens: doc.getArray<string>(TOKENS).toArray(),
      pendingOn: doc.store.pendingStructs ? new Map(doc.store.pendingStructs.missing) : null,
    };
  } finally {
    doc.destroy();
  }
}

export interface DocumentVerdict {
  document: string;
  acknowledged: number;
  /** Acknowledged tokens absent from Postgres or from some replica. */
  lost: string[];
  /** Acknowledged tokens present more than once somewhere. */
  duplicated: string[];
  /** Postgres could not load it (or never had it). */
  unloadable: string | null;
  /** Every replica and Postgres have the same state vector and bytes. */
  identical: boolean;
  /** First difference found, for the report. */
  difference: string | null;
}

function counts(tokens: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const token of tokens) map.set(token, (map.get(token) ?? 0) + 1);
  return map;
}

/**
 * The end-of-run check of one document: every acknowledged token appears
 * exactly once in Postgres and in every replica, and they are all identical
 * (state vector and canonical bytes).
 */
export function checkDocument(input: {
  document: string;
  acknowledged: readonly TokenRecord[];
  /** Merged state from Postgres, or the load error. */
  postgres: Uint8Array | Error | null;
  replicas: readonly ReplicaState[];
}): DocumentVerdict {
  const verdict: DocumentVerdict = {
    document: input.document,
    acknowledged: input.acknowledged.length,
    lost: [],
    duplicated: [],
    unloadable: null,
    identical: true,
    difference: null,
  };
  const states: Array<{ name: string; state: CanonicalState }> = [];
  if (input.postgres instanceof Error) verdict.unloadable = input.postgres.message;
  else if (input.postgres === null) verdict.unloadable = 'document not found';
  else {
    try {
      states.push({ name: 'postgres', state: canonical(input.postgres) });
    } catch (error) {
      verdict.unloadable = `stored state does not apply: ${(error as Error).message}`;
    }
  }
  for (const replica of input.replicas) {
    try {
      states.push({ name: replica.name, state: canonical(replica.update) });
    } catch (error) {
      verdict.identical = false;
      verdict.difference ??= `${replica.name}: state does not apply: ${(error as Error).message}`;
    }
  }
  if (verdict.unloadable) {
    verdict.identical = false;
    verdict.difference ??= `postgres: ${verdict.unloadable}`;
  }
  const lost = new Set<string>();
  const duplicated = new Set<string>();
  // Without Postgres, every acknowledged token counts as lost.
  if (verdict.unloadable) for (const t of input.acknowledged) lost.add(t.token);
  for (const { state } of states) {
    const seen = counts(state.tokens);
    for (const { token } of input.acknowledged) {
      const n = seen.get(token) ?? 0;
      if (n === 0) lost.add(token);
      if (n > 1) duplicated.add(token);
    }
  }
  verdict.lost = [...lost];
  verdict.duplicated = [...duplicated];
  const [first, ...rest] = states;
  for (const other of rest) {
    if (!first) break;
    if (!other.state.stateVector.equals(first.state.stateVector)) {
      verdict.identical = false;
      verdict.difference ??= `${other.name} and ${first.name}: state vectors differ (${describeVector(other.state.stateVector)} vs ${describeVector(first.state.stateVector)})`;
    } else if (!other.state.state.equals(first.state.state)) {
      verdict.identical = false;
      verdict.difference ??= `${other.name} and ${first.name}: same state vector, different bytes`;
    }
  }
  return verdict;
}

function describeVector(encoded: Buffer): string {
  const entries = [...Y.decodeStateVector(encoded)].sort((a, b) => a[0] - b[0]);
  return entries.map(([client, clock]) => `${client}:${clock}`).join(',');
}

/** Postgres' merged state of a document, or why it could not be loaded. */
export async function loadFromPostgres(store: DocumentStore, document: string): Promise<Uint8Array | Error | null> {
  try {
    return await store.loadMerged(document);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Durability without the authors' help: acknowledged tokens that Postgres
 * does not hold (checked while every writer is offline, so none can resend).
 */
export async function missingFromPostgres(
  store: DocumentStore,
  acknowledged: ReadonlyMap<string, readonly TokenRecord[]>,
): Promise<{ missing: Map<string, string[]>; unloadable: Map<string, string>; pendingOn: Map<string, Map<number, number>> }> {
  const missing = new Map<string, string[]>();
  const unloadable = new Map<string, string>();
  const pendingOn = new Map<string, Map<number, number>>();
  for (const [document, tokens] of acknowledged) {
    const loaded = await loadFromPostgres(store, document);
    if (!(loaded instanceof Uint8Array)) {
      unloadable.set(document, loaded === null ? 'document not found' : loaded.message);
      missing.set(document, tokens.map((t) => t.token));
      continue;
    }
    let present: Set<string>;
    try {
      const state = canonical(loaded);
      present = new Set(state.tokens);
      if (state.pendingOn) pendingOn.set(document, state.pendingOn);
    } catch (error) {
      unloadable.set(document, `stored state does not apply: ${(error as Error).message}`);
      missing.set(document, tokens.map((t) => t.token));
      continue;
    }
    const gone = tokens.filter((t) => !present.has(t.token)).map((t) => t.token);
    if (gone.length > 0) missing.set(document, gone);
  }
  return { missing, unloadable, pendingOn };
}
