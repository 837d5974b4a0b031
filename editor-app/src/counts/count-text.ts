import type { Node as PMNode } from '@tiptap/pm/model';
import { SUGGESTION_DELETE_MARK } from '@copycloud/schema/extensions';

export interface TextCounts {
  readonly words: number;
  readonly characters: number;
}

/**
 * Words as Unicode word segmentation sees them (Intl.Segmenter, granularity
 * 'word', segments that are word-like): punctuation and spaces are not words,
 * "don't" and "3.5" are one, and languages written without spaces (Chinese,
 * Japanese, Thai) are split by the browser's dictionary rather than counted
 * as one word per line.
 */
export function countWords(text: string, locale?: string): number {
  let words = 0;
  for (const segment of wordSegmenter(locale).segment(text)) if (segment.isWordLike) words++;
  return words;
}

/** Characters as a reader sees them (grapheme clusters): an emoji or "é" written as e + accent is one. */
export function countCharacters(text: string): number {
  let characters = 0;
  for (const _ of graphemeSegmenter().segment(text)) characters++;
  return characters;
}

export function countText(text: string, locale?: string): TextCounts {
  return { words: countWords(text, locale), characters: countCharacters(text) };
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
function wordSegmenter(locale: string | undefined): Intl.Segmenter {
  const key = locale ?? '';
  let segmenter = wordSegmenters.get(key);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    wordSegmenters.set(key, segmenter);
  }
  return segmenter;
}
let graphemes: Intl.Segmenter | undefined;
function graphemeSegmenter(): Intl.Segmenter {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemes;
}

/**
 * The text that counts, between two positions (the whole document by
 * default): the document as it reads with its suggestions accepted — text
 * proposed for deletion does not count, proposed insertions do. Text blocks
 * are separated by one line break (a tweet or a meta description counts
 * its line breaks too); a hard break is a line break; other inline nodes
 * (images) are not text.
 */
export function countableText(doc: PMNode, from = 0, to = doc.content.size): string {
  let text = '';
  let blocks = 0;
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.isTextblock) {
      if (blocks > 0) text += '\n';
      blocks++;
      return true;
    }
    if (node.isText) {
      if (node.marks.some((mark) => mark.type.name === SUGGESTION_DELETE_MARK)) return false;
      const start = Math.max(from, pos) - pos;
      const end = Math.min(to, pos + node.nodeSize) - pos;
      text += node.text!.slice(start, end);
      return false;
    }
    if (node.type.name === 'hardBreak') text += '\n';
    return true;
  });
  return text;
}
