import type * as Y from 'yjs';
import { onRestore } from '@copycloud/schema/restore-mark';

/** What this needs of the editor's undo manager (Y.UndoManager). */
export interface UndoHistory {
  clear(clearUndoStack?: boolean, clearRedoStack?: boolean): void;
}

/**
 * Ends this person's undo history when a version is restored, by anyone
 * (the restore arrives from the server as a remote update carrying the
 * restore mark).
 *
 * Why: a restore re-creates the old text as new Yjs items. The undo stack
 * still holds this person's earlier edits, and undoing one of them would
 * re-insert the very items the restore replaced — "our product. product."
 * for everybody — or skip over stack items the restore already reverted and
 * undo something older still. After a restore there is nothing to undo
 * (as in Google Docs: a restore is undone by restoring another version);
 * what is typed afterwards is undoable as usual.
 *
 * `undoHistory` is read at each restore: the editor may replace its undo
 * manager (a new view), and this must clear the current one.
 */
export function clearUndoOnRestore(doc: Y.Doc, undoHistory: () => UndoHistory | null | undefined): () => void {
  return onRestore(doc, () => undoHistory()?.clear(true, true));
}
