import * as Y from 'yjs';

/**
 * The document as plain text, for prompts. Reads the Y.XmlFragment that
 * Tiptap's Collaboration extension binds (field `default`, DOCUMENT_FIELD in
 * @copycloud/schema) directly rather than through @copycloud/schema's JSON
 * conversion: prompts need to map a Yjs relative position (the editor's
 * cursor) to a text offset, which the JSON form no longer carries, and the
 * sidecar stays free of Tiptap/ProseMirror in memory. Blocks are separated by
 * a blank line, hard breaks become a newline, marks are dropped. Text someone
 * proposed to delete (Suggesting mode) is left out: the AI reads the document
 * as it would be with its suggestions accepted, not "oldnew" side by side.
 */
export const TIPTAP_FIELD = 'default';
const BLOCK_SEPARATOR = '\n\n';
const HARD_BREAK_NODES = new Set(['hardBreak', 'hard_break']);
/** SUGGESTION_DELETE_MARK of @copycloud/schema (the Yjs formatting attribute of a proposed deletion), named here to keep Tiptap out of the sidecar. */
export const SUGGESTION_DELETE_ATTRIBUTE = 'suggestionDelete';

export interface DocumentText {
  text: string;
  /** Plain-text offset of a resolved Yjs position, or null if it is not inside this fragment. */
  offsetOf(position: Y.AbsolutePosition): number | null;
}

export function readDocumentText(doc: Y.Doc, field = TIPTAP_FIELD): DocumentText {
  const fragment = doc.getXmlFragment(field);
  let text = '';
  const textStarts = new Map<Y.AbstractType<unknown>, { start: number; visibleBefore: (index: number) => number }>();
  /** For each element: the offset where each child starts, plus one final entry for its end. */
  const childStarts = new Map<Y.AbstractType<unknown>, number[]>();

  const walk = (container: Y.XmlFragment | Y.XmlElement) => {
    const starts: number[] = [];
    for (const child of container.toArray()) {
      if (child instanceof Y.XmlElement && !HARD_BREAK_NODES.has(child.nodeName)) {
        if (text.length > 0 && !text.endsWith(BLOCK_SEPARATOR)) text += BLOCK_SEPARATOR;
      }
      starts.push(text.length);
      if (child instanceof Y.XmlText) {
        const read = readXmlText(child);
        textStarts.set(child as Y.AbstractType<unknown>, { start: text.length, visibleBefore: read.visibleBefore });
        text += read.text;
      } else if (child instanceof Y.XmlElement) {
        if (HARD_BREAK_NODES.has(child.nodeName)) text += '\n';
        else walk(child);
      }
    }
    starts.push(text.length);
    childStarts.set(container as Y.AbstractType<unknown>, starts);
  };
  walk(fragment);

  return {
    text,
    offsetOf(position) {
      const type = position.type as Y.AbstractType<unknown>;
      const textStart = textStarts.get(type);
      if (textStart !== undefined) return textStart.start + textStart.visibleBefore(position.index);
      const starts = childStarts.get(type);
      if (!starts) return null;
      return starts[Math.min(position.index, starts.length - 1)] ?? null;
    },
  };
}

/**
 * Text of one Y.XmlText; embeds count one position in Yjs, so they become one
 * space; proposed deletions are left out. `visibleBefore(i)` is how much of
 * the returned text comes before the Yjs index `i` (a position inside struck
 * text resolves to where it was).
 */
function readXmlText(node: Y.XmlText): { text: string; visibleBefore: (index: number) => number } {
  let out = '';
  const runs: Array<{ start: number; length: number; kept: boolean }> = [];
  let index = 0;
  for (const op of node.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const piece = typeof op.insert === 'string' ? op.insert : ' ';
    const kept = op.attributes?.[SUGGESTION_DELETE_ATTRIBUTE] === undefined;
    runs.push({ start: index, length: piece.length, kept });
    if (kept) out += piece;
    index += piece.length;
  }
  return {
    text: out,
    visibleBefore: (at) => {
      let visible = 0;
      for (const run of runs) {
        if (run.start >= at) break;
        if (run.kept) visible += Math.min(run.length, at - run.start);
      }
      return visible;
    },
  };
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
