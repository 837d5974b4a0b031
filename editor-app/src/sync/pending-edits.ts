import type { StateVector } from './pending-changes.js';

/**
 * Keystrokes closer together than this are one change, the way a person
 * thinks of "a sentence I typed" (and close to an undo step's grouping).
 */
export const EDIT_GROUP_MS = 1_000;
/** Bound on the remembered edits; older ones merge so the record stays small. */
export const MAX_REMEMBERED_EDITS = 500;

/** One change: the Yjs clock range [from, to) one local author wrote in one burst. */
export interface Edit {
  readonly client: number;
  readonly from: number;
  readonly to: number;
  /** When it was last extended (ms since epoch). */
  readonly at: number;
}

/**
 * Adds a local transaction that moved `client`'s clock from `before` to
 * `after` (a deletion alone moves no clock and is not counted: the durable
 * acknowledgement is a state vector, which cannot say whether a deletion was
 * stored). Continues the last edit when it is the same author, contiguous and
 * within EDIT_GROUP_MS; otherwise starts a new one.
 */
export function recordEdit(edits: readonly Edit[], client: number, before: number, after: number, now: number): Edit[] {
  if (after <= before) return [...edits];
  const last = edits.at(-1);
  if (last && last.client === client && last.to === before && now - last.at < EDIT_GROUP_MS) {
    return [...edits.slice(0, -1), { ...last, to: after, at: now }];
  }
  const next = [...edits, { client, from: before, to: after, at: now }];
  if (next.length <= MAX_REMEMBERED_EDITS) return next;
  // Merge the two oldest of one author (their range then spans both); else drop the oldest count's detail.
  const [first, second, ...rest] = next;
  if (first && second && first.client === second.client) return [{ ...first, to: Math.max(first.to, second.to), at: second.at }, ...rest];
  return next.slice(1);
}

/** Edits that still hold something the node has not acknowledged as durable. */
export function pendingEdits(edits: readonly Edit[], durable: StateVector): Edit[] {
  return edits.filter((edit) => edit.to > (durable.get(edit.client) ?? 0));
}

/**
 * The number a person reads as "unsaved changes": edits not yet durable, plus
 * one for each author whose pending clocks no remembered edit explains (edits
 * recorded before this bookkeeping existed, or by a tab that closed).
 */
export function countUnsavedChanges(edits: readonly Edit[], local: StateVector, durable: StateVector, localAuthors: ReadonlySet<number>): number {
  const pending = pendingEdits(edits, durable);
  let count = pending.length;
  for (const client of localAuthors) {
    const localClock = local.get(client) ?? 0;
    if (localClock <= (durable.get(client) ?? 0)) continue;
    const covered = pending.some((edit) => edit.client === client && edit.to >= localClock);
    if (!covered) count += 1;
  }
  return count;
}
