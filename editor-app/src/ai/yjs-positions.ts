import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * ProseMirror positions <-> Yjs relative positions. A relative position
 * names a character of the shared document rather than an offset, so it
 * still points at the same spot after collaborators insert or delete text
 * before it; the sidecar resolves the same encoding against its copy.
 */
export interface YAnchor {
  readonly relative: Y.RelativePosition;
  /** base64 of `Y.encodeRelativePosition`: what the AI endpoints take, and the anchor's identity. */
  readonly key: string;
}

interface YSyncState {
  type: Y.XmlFragment;
  doc: Y.Doc;
  binding: { mapping: Map<Y.AbstractType<unknown>, unknown> } | null;
}

function syncState(state: EditorState): YSyncState | null {
  const sync = ySyncPluginKey.getState(state) as YSyncState | undefined;
  return sync?.binding ? sync : null;
}

/** The anchor for `pos`, or null when the editor is not bound to a Y.Doc (yet). */
export function anchorAt(state: EditorState, pos: number): YAnchor | null {
  const sync = syncState(state);
  if (!sync?.binding) return null;
  const relative = absolutePositionToRelativePosition(pos, sync.type, sync.binding.mapping as never);
  return { relative, key: toBase64(Y.encodeRelativePosition(relative)) };
}

/**
 * Where `anchor` is now in `doc` (default: the state's document); null when
 * its text was deleted or the binding is gone. `state` supplies the Yjs
 * binding, whose mapping is kept current for the latest document.
 */
export function resolveAnchor(state: EditorState, anchor: YAnchor, doc: PMNode = state.doc): number | null {
  const sync = syncState(state);
  if (!sync?.binding) return null;
  const pos = relativePositionToAbsolutePosition(sync.doc, sync.type, anchor.relative, sync.binding.mapping as never);
  if (pos === null || pos < 0 || pos > doc.content.size) return null;
  return pos;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
