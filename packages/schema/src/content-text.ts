import * as Y from 'yjs';

/**
 * The document's text as plain text, read from the Yjs fragment Tiptap's
 * Collaboration extension binds (`default`), with a map from Yjs positions to
 * offsets in it: comment anchors (review) and prompts (AI) both need it.
 * Only yjs is imported here, so a sidecar reading text loads no Tiptap.
 */

/** The content fragment (Tiptap's Collaboration field, DOCUMENT_FIELD). */
const CONTENT_FIELD = 'default';
const HARD_BREAKS = new Set(['hardBreak', 'hard_break']);
/**
 * The Yjs formatting attribute of a proposed deletion (Suggesting mode): the
 * `suggestionDelete` mark, whose name is this (SUGGESTION_DELETE_MARK).
 */
export const SUGGESTION_DELETE_ATTRIBUTE = 'suggestionDelete';

/** The text of the content, and where a resolved position falls in it. */
export interface ContentText {
  /** Blocks separated by `blockSeparator`, hard breaks as "\n", embeds (images) as a space. */
  readonly text: string;
  /** Plain-text offset of `position`, or null when it is not inside the content. */
  offsetOf(position: Y.AbsolutePosition): number | null;
}

export interface ContentTextOptions {
  /** Between blocks; "\n" by default. */
  blockSeparator?: string;
  /**
   * Leave out text someone proposed to delete: the document as it would read
   * with its suggestions accepted, not "oldnew" side by side. A position
   * inside struck text maps to where that text was.
   */
  withoutProposedDeletions?: boolean;
  field?: string;
}

export function readContentText(doc: Y.Doc, options: ContentTextOptions = {}): ContentText {
  const separator = options.blockSeparator ?? '\n';
  const fragment = doc.getXmlFragment(options.field ?? CONTENT_FIELD);
  let text = '';
  const textStarts = new Map<Y.AbstractType<unknown>, { start: number; visibleBefore: (index: number) => number }>();
  /** For each element: the offset where each child starts, plus one final entry for its end. */
  const childStarts = new Map<Y.AbstractType<unknown>, number[]>();
  const walk = (container: Y.XmlFragment | Y.XmlElement) => {
    const starts: number[] = [];
    for (const child of container.toArray()) {
      if (child instanceof Y.XmlElement && !HARD_BREAKS.has(child.nodeName) && text.length > 0 && !text.endsWith(separator)) text += separator;
      starts.push(text.length);
      if (child instanceof Y.XmlText) {
        const read = readXmlText(child, options.withoutProposedDeletions ?? false);
        textStarts.set(child as Y.AbstractType<unknown>, { start: text.length, visibleBefore: read.visibleBefore });
        text += read.text;
      } else if (child instanceof Y.XmlElement) {
        if (HARD_BREAKS.has(child.nodeName)) text += '\n';
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
 * space. `visibleBefore(i)` is how much of the returned text comes before the
 * Yjs index `i` (all of it up to `i` unless proposed deletions are left out).
 */
function readXmlText(node: Y.XmlText, withoutProposedDeletions: boolean): { text: string; visibleBefore: (index: number) => number } {
  let out = '';
  const runs: Array<{ start: number; length: number; kept: boolean }> = [];
  let index = 0;
  for (const op of node.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const piece = typeof op.insert === 'string' ? op.insert : ' ';
    const kept = !withoutProposedDeletions || op.attributes?.[SUGGESTION_DELETE_ATTRIBUTE] === undefined;
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
