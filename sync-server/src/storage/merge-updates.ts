import * as Y from 'yjs';

/** Updates merged by one Y.mergeUpdates call, at most. */
const MERGE_FAN_IN = 8;

/**
 * Y.mergeUpdates over many updates, in a tree of small merges. Yjs' merge
 * re-sorts every input's reader for each struct it writes, so one call over n
 * updates costs ~n² — a node that falls behind then merges ever larger
 * backlogs and never catches up. Merging at most `MERGE_FAN_IN` at a time
 * keeps the total near-linear (n log n) with the same result.
 */
export function mergeUpdatesBalanced(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 0) throw new Error('mergeUpdatesBalanced: nothing to merge');
  let level: Uint8Array[] = [...updates];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MERGE_FAN_IN) {
      const group = level.slice(i, i + MERGE_FAN_IN);
      next.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group));
    }
    level = next;
  }
  return level[0]!;
}
