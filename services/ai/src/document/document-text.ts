import * as Y from 'yjs';
import { readContentText, type ContentText } from '@copycloud/schema/content-text';

/**
 * The document as plain text, for prompts, from the Y.XmlFragment Tiptap's
 * Collaboration extension binds rather than through @copycloud/schema's JSON
 * conversion: prompts need to map a Yjs relative position (the editor's
 * cursor) to a text offset, which the JSON form no longer carries (the
 * content-text entry point loads no Tiptap). Blocks are separated by a blank
 * line, hard breaks become a newline, marks are dropped. Text someone
 * proposed to delete (Suggesting mode) is left out: the AI reads the document
 * as it would be with its suggestions accepted, not "oldnew" side by side.
 */
export const TIPTAP_FIELD = 'default';

export type DocumentText = ContentText;

export function readDocumentText(doc: Y.Doc, field = TIPTAP_FIELD): DocumentText {
  return readContentText(doc, { field, blockSeparator: '\n\n', withoutProposedDeletions: true });
}

/** Resolves a base64 `Y.encodeRelativePosition` against `doc`; null when the doc does not (yet) hold its item. */
export function resolveRelativePosition(doc: Y.Doc, encoded: string): Y.AbsolutePosition | null {
  let relative: Y.RelativePosition;
  try {
    relative = Y.decodeRelativePosition(Buffer.from(encoded, 'base64'));
  } catch {
    return null;
  }
  return Y.createAbsolutePositionFromRelativePosition(relative, doc);
}
