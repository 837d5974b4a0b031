import { Mark, mergeAttributes, type MarkConfig } from '@tiptap/core';
import { SUGGESTION_DELETE_ATTRIBUTE } from './content-text.js';

/**
 * Suggesting mode stores a suggestion as marks on the text itself, so it
 * syncs, persists, restores and exports like any other formatting (a Yjs
 * formatting attribute on the Y.XmlText, keyed by the mark name):
 *
 * - `suggestionInsert`: text someone proposes to add. Accept = drop the mark
 *   (the text stays); reject = delete the text.
 * - `suggestionDelete`: text someone proposes to remove; it stays in the
 *   document, struck through. Accept = delete the text; reject = drop the mark.
 *
 * A replacement is a deletion followed by an insertion with the same `id`,
 * so Accept/Reject act on both halves at once. Both marks are non-inclusive
 * (typing next to a suggestion in Editing mode is not part of it) and do not
 * exclude each other (someone may propose to delete another's proposed
 * insertion). Code blocks allow no marks, so they take no suggestions.
 */
export const SUGGESTION_INSERT_MARK = 'suggestionInsert';
export const SUGGESTION_DELETE_MARK = SUGGESTION_DELETE_ATTRIBUTE;
export const SUGGESTION_MARKS = [SUGGESTION_INSERT_MARK, SUGGESTION_DELETE_MARK] as const;
export type SuggestionKind = 'insert' | 'delete';

export interface SuggestionAttributes {
  /** Shared by the deletion and insertion of one replacement. */
  readonly id: string;
  readonly authorId: string;
  readonly authorName: string;
  /** ISO 8601. */
  readonly time: string;
}

export function suggestionMarkName(kind: SuggestionKind): string {
  return kind === 'insert' ? SUGGESTION_INSERT_MARK : SUGGESTION_DELETE_MARK;
}

/** The attributes of a suggestion mark, or null when they are not a well-formed suggestion. */
export function readSuggestionAttributes(attrs: unknown): SuggestionAttributes | null {
  if (!attrs || typeof attrs !== 'object') return null;
  const { id, authorId, authorName, time } = attrs as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof authorId !== 'string' || typeof authorName !== 'string' || typeof time !== 'string') return null;
  return { id, authorId, authorName, time };
}

const attribute = (name: string, dataName: string) => ({
  default: null,
  parseHTML: (el: { getAttribute(name: string): string | null }) => el.getAttribute(dataName),
  renderHTML: (attrs: Record<string, unknown>) => (typeof attrs[name] === 'string' ? { [dataName]: attrs[name] } : {}),
});

function suggestionMark(kind: SuggestionKind, tag: 'ins' | 'del'): Mark {
  const name = suggestionMarkName(kind);
  const config: MarkConfig = {
    name,
    inclusive: false,
    addAttributes() {
      return {
        id: attribute('id', 'data-suggestion-id'),
        authorId: attribute('authorId', 'data-author-id'),
        authorName: attribute('authorName', 'data-author-name'),
        // <ins>/<del> have a standard attribute for the time of the change.
        time: attribute('time', 'datetime'),
      };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-suggestion-id]` }];
    },
    renderHTML({ HTMLAttributes, mark }) {
      const who = typeof mark.attrs['authorName'] === 'string' ? mark.attrs['authorName'] : 'someone';
      const title = `${kind === 'insert' ? 'Suggested insertion' : 'Suggested deletion'} by ${who}`;
      return [tag, mergeAttributes(HTMLAttributes, { class: `suggestion suggestion--${kind}`, title }), 0];
    },
    // Markdown has no syntax for either; CommonMark passes inline HTML
    // through, so they export as plain <ins>…</ins> / <del>…</del>.
    renderMarkdown(node, helpers) {
      return `<${tag}>${helpers.renderChildren(node)}</${tag}>`;
    },
  };
  return Mark.create(config);
}

export const SuggestionInsert = suggestionMark('insert', 'ins');
export const SuggestionDelete = suggestionMark('delete', 'del');
