import type * as Y from 'yjs';

/**
 * A restore leaves a mark in the document, in the same transaction as the
 * content change: the root map `restores` gets `last` = which version, when.
 * Replicas see the restore as a remote update like any other; the mark is how
 * an editor knows that this one rewrote the document under everybody's undo
 * history (its stack items would re-insert text the restore re-created, so
 * the history must end there). Kept out of the content fragment, so export,
 * the AI context and the editor never see it.
 */
export const RESTORES_FIELD = 'restores';

export interface RestoreMark {
  /** The version whose content was restored. */
  readonly versionId: string;
  /** ISO time of the restore. */
  readonly at: string;
}

/** Records `mark` in `doc`; call inside the restore's transaction. */
export function writeRestoreMark(doc: Y.Doc, mark: RestoreMark): void {
  doc.getMap(RESTORES_FIELD).set('last', { versionId: mark.versionId, at: mark.at });
}

/** The latest restore recorded in `doc`, if any. */
export function lastRestore(doc: Y.Doc): RestoreMark | null {
  const value = doc.getMap(RESTORES_FIELD).get('last') as Partial<RestoreMark> | undefined;
  return value && typeof value.versionId === 'string' && typeof value.at === 'string' ? { versionId: value.versionId, at: value.at } : null;
}

/**
 * Calls `listener` after every transaction that records a restore in `doc`
 * (local or remote, including one that arrives merged with other updates).
 * Returns the unsubscribe function.
 */
export function onRestore(doc: Y.Doc, listener: (mark: RestoreMark, transaction: Y.Transaction) => void): () => void {
  const map = doc.getMap(RESTORES_FIELD);
  const observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    if (!event.keysChanged.has('last')) return;
    const mark = lastRestore(doc);
    if (mark) listener(mark, transaction);
  };
  map.observe(observer);
  return () => map.unobserve(observer);
}
