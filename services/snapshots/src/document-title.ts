import type { JSONContent } from '@copycloud/schema';

/** A derived title is at most this many characters (code points), cut on a word boundary. */
export const DERIVED_TITLE_MAX_CHARS = 80;

/** Blocks whose text can name a document (also inside lists and quotes). */
const TITLE_BLOCKS = new Set(['heading', 'paragraph']);
/** Controls and line/paragraph separators never reach a title (the rename API refuses them too). */
const NOT_TITLE_TEXT = /[\p{Cc}\u2028\u2029]/gu;

/**
 * The title a document gets from its content: the text of its first
 * non-empty heading or paragraph, whitespace collapsed, at most
 * DERIVED_TITLE_MAX_CHARS characters cut on a word boundary. '' for a
 * document without text.
 */
export function derivedTitle(content: JSONContent): string {
  const block = firstTitleBlock(content);
  return block === null ? '' : truncateOnWord(block, DERIVED_TITLE_MAX_CHARS);
}

function firstTitleBlock(node: JSONContent): string | null {
  if (node.type && TITLE_BLOCKS.has(node.type)) {
    const text = textOf(node).replace(NOT_TITLE_TEXT, ' ').replace(/\s+/gu, ' ').trim();
    return text === '' ? null : text;
  }
  for (const child of node.content ?? []) {
    const found = firstTitleBlock(child);
    if (found !== null) return found;
  }
  return null;
}

function textOf(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return ' ';
  return (node.content ?? []).map(textOf).join('');
}

/** Cuts `text` to `max` code points, at the last space when the cut falls inside a word. */
export function truncateOnWord(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  // The cut is already on a boundary when the next character is a space.
  if (/\s/u.test(chars[max]!)) return head.trimEnd();
  const lastSpace = head.search(/\s\S*$/u);
  // One word longer than the limit: cut inside it rather than return nothing.
  return lastSpace > 0 ? head.slice(0, lastSpace).trimEnd() : head;
}
