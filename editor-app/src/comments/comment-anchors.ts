import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { CommentAnchor } from '@copycloud/protocol';
import { anchorFromTypeIndices, decodeAnchorPosition } from '@copycloud/schema/comments';

interface YSyncState {
  type: Y.XmlFragment;
  doc: Y.Doc;
  binding: { mapping: Map<Y.AbstractType<unknown>, unknown> } | null;
}

function syncState(state: EditorState): (YSyncState & { binding: NonNullable<YSyncState['binding']> }) | null {
  const sync = ySyncPluginKey.getState(state) as YSyncState | undefined;
  return sync?.binding ? (sync as YSyncState & { binding: NonNullable<YSyncState['binding']> }) : null;
}

/**
 * The anchor of the ProseMirror range [from, to) as Yjs relative positions:
 * the start sticks to the first selected character, the end to the last one
 * (left-associated), so text typed right before or right after the range
 * stays outside the thread. Null when the editor is not bound to its Y.Doc.
 */
export function anchorOfRange(state: EditorState, from: number, to: number): CommentAnchor | null {
  const sync = syncState(state);
  if (!sync || to <= from) return null;
  const mapping = sync.binding.mapping as never;
  const start = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(from, sync.type, mapping), sync.doc);
  const end = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(to, sync.type, mapping), sync.doc);
  if (!start || !end) return null;
  return anchorFromTypeIndices(start as { type: Y.AbstractType<unknown>; index: number }, end as { type: Y.AbstractType<unknown>; index: number });
}

/** Where an anchor is in the editor now: a non-empty range, or null (its text was deleted: detached). */
export function rangeOfAnchor(state: EditorState, anchor: CommentAnchor): { from: number; to: number } | null {
  const sync = syncState(state);
  if (!sync) return null;
  const start = decodeAnchorPosition(anchor.start);
  const end = decodeAnchorPosition(anchor.end);
  if (!start || !end) return null;
  const mapping = sync.binding.mapping as never;
  const from = relativePositionToAbsolutePosition(sync.doc, sync.type, start, mapping);
  const to = relativePositionToAbsolutePosition(sync.doc, sync.type, end, mapping);
  const size = state.doc.content.size;
  if (from === null || to === null || from < 0 || to > size || to <= from) return null;
  // A range that covers no text at all (only block boundaries left) is detached too.
  if (state.doc.textBetween(from, to, '', ' ').length === 0) return null;
  return { from, to };
}
