import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { SUGGESTION_DELETE_MARK, SUGGESTION_INSERT_MARK, readSuggestionAttributes, type SuggestionAttributes } from '@copycloud/schema/extensions';

/** Meta on accept/reject transactions: Suggesting mode must not turn an accepted deletion back into a suggestion. */
export const SUGGESTION_REVIEW_META = 'copycloud:suggestion-review';

export interface Suggestion extends SuggestionAttributes {
  /** Text proposed for insertion (empty when none). */
  readonly inserted: string;
  /** Text proposed for deletion (empty when none). */
  readonly deleted: string;
  /** Where its first and last pieces are in the document. */
  readonly from: number;
  readonly to: number;
}

/** A run of inline content carrying suggestion marks. */
export interface SuggestionPiece {
  readonly from: number;
  readonly to: number;
  readonly insert: SuggestionAttributes | null;
  readonly remove: SuggestionAttributes | null;
  readonly text: string;
}

export function suggestionPieces(doc: PMNode): SuggestionPiece[] {
  const found: SuggestionPiece[] = [];
  doc.descendants((node, pos) => {
    if (!node.isInline) return true;
    let insert: SuggestionAttributes | null = null;
    let remove: SuggestionAttributes | null = null;
    for (const mark of node.marks) {
      if (mark.type.name === SUGGESTION_INSERT_MARK) insert = readSuggestionAttributes(mark.attrs);
      else if (mark.type.name === SUGGESTION_DELETE_MARK) remove = readSuggestionAttributes(mark.attrs);
    }
    if (insert || remove) found.push({ from: pos, to: pos + node.nodeSize, insert, remove, text: node.text ?? ' ' });
    return false;
  });
  return found;
}

/** Every suggestion in the document, in document order (a replacement is one suggestion). */
export function listSuggestions(doc: PMNode): Suggestion[] {
  const byId = new Map<string, { attrs: SuggestionAttributes; inserted: string; deleted: string; from: number; to: number }>();
  const add = (attrs: SuggestionAttributes, piece: SuggestionPiece, kind: 'inserted' | 'deleted') => {
    let entry = byId.get(attrs.id);
    if (!entry) {
      entry = { attrs, inserted: '', deleted: '', from: piece.from, to: piece.to };
      byId.set(attrs.id, entry);
    }
    entry[kind] += piece.text;
    entry.to = Math.max(entry.to, piece.to);
  };
  for (const piece of suggestionPieces(doc)) {
    if (piece.remove) add(piece.remove, piece, 'deleted');
    if (piece.insert) add(piece.insert, piece, 'inserted');
  }
  return [...byId.values()].map(({ attrs, inserted, deleted, from, to }) => ({ ...attrs, inserted, deleted, from, to }));
}

/** The suggestion the cursor is in or touches (the text just after it first), or null. */
export function suggestionAtSelection(state: EditorState): Suggestion | null {
  const $from = state.selection.$from;
  const ids: string[] = [];
  for (const node of [$from.nodeAfter, $from.nodeBefore]) {
    for (const mark of node?.marks ?? []) {
      if (mark.type.name !== SUGGESTION_INSERT_MARK && mark.type.name !== SUGGESTION_DELETE_MARK) continue;
      const attrs = readSuggestionAttributes(mark.attrs);
      if (attrs) ids.push(attrs.id);
    }
  }
  if (ids.length === 0) return null;
  const all = listSuggestions(state.doc);
  for (const id of ids) {
    const found = all.find((s) => s.id === id);
    if (found) return found;
  }
  return null;
}

export type ReviewAction = 'accept' | 'reject';

/**
 * Accepts or rejects suggestions (`ids`, or every one): accepting an
 * insertion keeps the text without its mark, accepting a deletion removes
 * the text; rejecting does the reverse. Text that is both (a deletion
 * proposed on a proposed insertion) goes when either half says so. One
 * transaction, marked so Suggesting mode leaves it alone.
 */
export function reviewSuggestions(state: EditorState, ids: ReadonlySet<string> | 'all', action: ReviewAction): Transaction {
  const tr = state.tr.setMeta(SUGGESTION_REVIEW_META, action);
  const insertType = state.schema.marks[SUGGESTION_INSERT_MARK];
  const deleteType = state.schema.marks[SUGGESTION_DELETE_MARK];
  if (!insertType || !deleteType) return tr;
  const chosen = (attrs: SuggestionAttributes | null) => attrs !== null && (ids === 'all' || ids.has(attrs.id));
  const removals: Array<[number, number]> = [];
  for (const piece of suggestionPieces(state.doc)) {
    const insertChosen = chosen(piece.insert);
    const deleteChosen = chosen(piece.remove);
    if (!insertChosen && !deleteChosen) continue;
    const goes = (insertChosen && action === 'reject') || (deleteChosen && action === 'accept');
    if (goes) {
      removals.push([piece.from, piece.to]);
      continue;
    }
    if (insertChosen) tr.removeMark(piece.from, piece.to, insertType);
    if (deleteChosen) tr.removeMark(piece.from, piece.to, deleteType);
  }
  // Right to left, so earlier positions stay valid.
  for (const [from, to] of removals.reverse()) tr.delete(from, to);
  return tr;
}
