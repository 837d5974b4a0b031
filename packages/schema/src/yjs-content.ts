import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { DOCUMENT_FIELD, documentSchema } from './extensions.js';
import { InvalidContentError } from './errors.js';
import { writeRestoreMark, type RestoreMark } from './restore-mark.js';

/** An empty document as ProseMirror JSON (what the editor shows for a new doc). */
export const EMPTY_DOCUMENT: JSONContent = { type: 'doc', content: [{ type: 'paragraph' }] };

/** The editor content of a Y.Doc as ProseMirror JSON. */
export function yDocToJSON(doc: Y.Doc): JSONContent {
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(DOCUMENT_FIELD)) as JSONContent;
  return json.content && json.content.length > 0 ? json : EMPTY_DOCUMENT;
}

/** The editor content of an encoded Yjs state (or merged update) as ProseMirror JSON. */
export function yStateToJSON(state: Uint8Array): JSONContent {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return yDocToJSON(doc);
  } finally {
    doc.destroy();
  }
}

/** Checks JSON against the schema and returns the ProseMirror node. */
export function parseContent(json: JSONContent): PMNode {
  try {
    const node = PMNode.fromJSON(documentSchema(), json);
    node.check();
    return node;
  } catch (error) {
    throw new InvalidContentError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Changes the editor content of `doc` to `json` in one transaction tagged
 * `origin`. This is a forward change: it diffs the fragment against the
 * target and inserts/deletes what differs, so concurrent edits by others
 * merge with it like any other edit and no history is rewritten.
 */
export function replaceContent(doc: Y.Doc, json: JSONContent, origin: unknown): void {
  const node = parseContent(json);
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  doc.transact(() => {
    updateYFragment(doc, fragment, node, { mapping: new Map(), isOMark: new Map() });
  }, origin);
}

/**
 * A restore: `replaceContent` plus the restore mark (see restore-mark.ts), in
 * one transaction, so every replica that receives the change also learns that
 * it was a restore.
 */
export function restoreContent(doc: Y.Doc, json: JSONContent, mark: RestoreMark, origin: unknown): void {
  doc.transact(() => {
    // Joins this transaction (Yjs nests transact calls into the outer one).
    replaceContent(doc, json, origin);
    writeRestoreMark(doc, mark);
  }, origin);
}

/**
 * The Yjs update that turns `currentState` into `json` (e.g. restoring a
 * version): applied to any replica that has seen `currentState`, its content
 * becomes `json` plus whatever else that replica has seen since. With
 * `restore`, the update also carries the restore mark.
 */
export function updateToContent(currentState: Uint8Array, json: JSONContent, origin: unknown = null, restore?: RestoreMark): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, currentState);
    const before = Y.encodeStateVector(doc);
    if (restore) restoreContent(doc, json, restore, origin);
    else replaceContent(doc, json, origin);
    return Y.encodeStateAsUpdate(doc, before);
  } finally {
    doc.destroy();
  }
}

/** A fresh Yjs state whose editor content is `json` (tests, benchmarks, imports). */
export function jsonToYState(json: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  try {
    replaceContent(doc, json, null);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
