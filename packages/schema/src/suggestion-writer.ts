import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSchema } from './extensions.js';
import { AI_AUTHORED_MARK } from './ai-authored-mark.js';
import { SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK, readSuggestionAttributes, type SuggestionAttributes } from './suggestion-marks.js';

/** Longest replacement text a suggestion may carry (the review API bounds its bodies below this). */
export const MAX_SUGGESTION_TEXT_CHARS = 10_000;

export type SuggestionWriteErrorCode =
  | 'position_not_found'
  | 'range_spans_blocks'
  | 'range_reversed'
  | 'marks_not_allowed'
  | 'empty_suggestion'
  | 'invalid_text'
  | 'text_too_long';

/** Why a suggestion could not be written; `code` is stable, the message says what was seen. */
export class SuggestionWriteError extends Error {
  constructor(
    readonly code: SuggestionWriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SuggestionWriteError';
  }
}

export interface SuggestionAuthor {
  readonly id: string;
  readonly name: string;
}

export interface WriteSuggestionInput {
  /** Start of the text to replace (a position in a text block of the document content). */
  readonly from: Y.RelativePosition;
  /** End of the text to replace, in the same text block; equal to `from` for a pure insertion. */
  readonly to: Y.RelativePosition;
  /** The proposed text, inserted after the range; empty for a pure deletion. One line. */
  readonly text: string;
  readonly author: SuggestionAuthor;
  /** ISO 8601; defaults to now. */
  readonly time?: string;
  /** Defaults to a random UUID. */
  readonly id?: string;
}

export interface WrittenSuggestion {
  readonly id: string;
  /** Characters newly marked as proposed deletions (already-struck text is left as it is). */
  readonly deletedChars: number;
  readonly insertedChars: number;
}

/**
 * Writes a suggestion into `doc` in one transaction tagged `origin`, exactly
 * as the editor's Suggesting mode would record it: the range's text gets a
 * `suggestionDelete` mark (kept, struck through; text someone already
 * proposed to delete is left alone, and the author's own proposed insertions
 * in the range are simply removed), and `text` is inserted right after it
 * with a `suggestionInsert` mark and the replaced text's formatting. Both
 * halves share one suggestion id, so Accept/Reject in the editor act on both.
 *
 * For a server applying a commenter's suggestion (their socket stays
 * read-only): positions are Yjs relative positions, so the suggestion lands
 * on the intended words whatever was edited since the client computed them.
 */
export function writeSuggestion(doc: Y.Doc, input: WriteSuggestionInput, origin: unknown): WrittenSuggestion {
  if (input.text.length > MAX_SUGGESTION_TEXT_CHARS) {
    throw new SuggestionWriteError('text_too_long', `suggested text has ${input.text.length} characters; at most ${MAX_SUGGESTION_TEXT_CHARS} are allowed`);
  }
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(input.text)) {
    throw new SuggestionWriteError('invalid_text', 'suggested text contains a line break or control character; a suggestion is text within one block');
  }
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const from = resolve(doc, input.from, 'from');
  const to = resolve(doc, input.to, 'to');
  if (from.type !== to.type) {
    throw new SuggestionWriteError('range_spans_blocks', 'from and to resolve into different text blocks; a suggestion replaces text within one block');
  }
  if (!(from.type instanceof Y.XmlText) || !isInside(from.type as unknown as Y.AbstractType<unknown>, fragment)) {
    throw new SuggestionWriteError('position_not_found', 'the positions do not point into the text of the document content');
  }
  if (from.index > to.index) {
    throw new SuggestionWriteError('range_reversed', `from (${from.index}) is after to (${to.index})`);
  }
  if (from.index === to.index && input.text === '') {
    throw new SuggestionWriteError('empty_suggestion', 'the range is empty and there is no text to insert');
  }
  const ytext = from.type;
  const block = ytext.parent;
  const blockName = block instanceof Y.XmlElement ? block.nodeName : null;
  const schema = documentSchema();
  const blockType = blockName === null ? undefined : schema.nodes[blockName];
  if (!blockType || !blockType.isTextblock || !blockType.allowsMarkType(schema.marks[SUGGESTION_INSERT_MARK]!)) {
    throw new SuggestionWriteError('marks_not_allowed', `text in a ${blockName ?? 'top-level text'} block cannot carry suggestions`);
  }

  const attrs: SuggestionAttributes = {
    id: input.id ?? globalThis.crypto.randomUUID(),
    authorId: input.author.id,
    authorName: input.author.name,
    time: input.time ?? new Date().toISOString(),
  };

  let deletedChars = 0;
  doc.transact(() => {
    const runs = textRuns(ytext, from.index, to.index);
    // The formatting the proposed text takes: the replaced text's (or the text before it).
    const base = runs[0]?.attributes ?? attributesBefore(ytext, from.index);
    let end = to.index;
    // Right to left, so indexes of runs not yet handled stay valid.
    for (const run of [...runs].reverse()) {
      if (run.attributes[SUGGESTION_DELETE_MARK] !== undefined) continue;
      const inserted = readSuggestionAttributes(run.attributes[SUGGESTION_INSERT_MARK]);
      if (inserted && inserted.authorId === attrs.authorId) {
        // Taking back one's own proposed text just removes it.
        ytext.delete(run.index, run.length);
        end -= run.length;
        continue;
      }
      ytext.format(run.index, run.length, { [SUGGESTION_DELETE_MARK]: { ...attrs } });
      deletedChars += run.length;
    }
    if (input.text !== '') {
      const formatting: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(base)) {
        if (key !== SUGGESTION_DELETE_MARK && key !== SUGGESTION_INSERT_MARK && key !== AI_AUTHORED_MARK) formatting[key] = value;
      }
      ytext.insert(end, input.text, { ...formatting, [SUGGESTION_INSERT_MARK]: { ...attrs } });
    }
  }, origin);
  return { id: attrs.id, deletedChars, insertedChars: input.text.length };
}

function resolve(doc: Y.Doc, position: Y.RelativePosition, name: string): Y.AbsolutePosition {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute) throw new SuggestionWriteError('position_not_found', `${name} refers to content this document does not hold`);
  return absolute;
}

function isInside(type: Y.AbstractType<unknown>, root: Y.XmlFragment): boolean {
  let current: Y.AbstractType<unknown> | null = type;
  while (current) {
    if (current === (root as Y.AbstractType<unknown>)) return true;
    if (current._item?.deleted) return false;
    current = current._item ? (current._item.parent as Y.AbstractType<unknown>) : null;
  }
  return false;
}

interface TextRun {
  readonly index: number;
  readonly length: number;
  readonly attributes: Record<string, unknown>;
}

/** The formatting runs of `ytext` between two indexes, cut at both ends. */
function textRuns(ytext: Y.XmlText, from: number, to: number): TextRun[] {
  const runs: TextRun[] = [];
  let index = 0;
  for (const op of ytext.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    const start = Math.max(index, from);
    const end = Math.min(index + length, to);
    // Embeds (there are none in text blocks today) take no marks here.
    if (start < end && typeof op.insert === 'string') runs.push({ index: start, length: end - start, attributes: op.attributes ?? {} });
    index += length;
    if (index >= to) break;
  }
  return runs;
}

function attributesBefore(ytext: Y.XmlText, index: number): Record<string, unknown> {
  if (index === 0) return {};
  return textRuns(ytext, index - 1, index)[0]?.attributes ?? {};
}
