import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { SUGGESTION_REVIEW_META } from './review.js';
import { rewriteAsSuggestions, SUGGESTION_REWRITE_META, type SuggestionAuthorContext } from './suggest-transaction.js';

export type EditingMode = 'editing' | 'suggesting';

export interface SuggestingState {
  readonly mode: EditingMode;
}

export const suggestingPluginKey = new PluginKey<SuggestingState>('copycloud-suggesting');

export interface SuggestingPluginOptions {
  readonly initialMode: EditingMode;
  /** The current person (read per edit: the account can change while the editor lives). */
  readonly author: () => SuggestionAuthorContext;
  /**
   * Whether a transaction is this person's own edit, to be recorded as
   * suggestions (the editor excludes remote changes and undo, which arrive
   * through y-tiptap's sync plugin). Review and rewrite transactions are
   * always excluded.
   */
  readonly isOwnEdit: (tr: Transaction) => boolean;
}

/** The transaction that switches the mode (dispatch it; the plugin state follows). */
export function setEditingMode(tr: Transaction, mode: EditingMode): Transaction {
  return tr.setMeta(suggestingPluginKey, { mode } satisfies SuggestingState);
}

export function editingModeOf(state: EditorState): EditingMode {
  return suggestingPluginKey.getState(state)?.mode ?? 'editing';
}

/**
 * Suggesting mode as a ProseMirror plugin: the mode lives in the plugin
 * state (per editor, so per person and document), and in Suggesting mode
 * every own edit is rewritten into suggestions by `appendTransaction` (see
 * suggest-transaction.ts) in the same view update, so the shared document
 * only ever sees the suggestion, never the plain edit.
 */
export function suggestingPlugin(options: SuggestingPluginOptions): Plugin<SuggestingState> {
  return new Plugin<SuggestingState>({
    key: suggestingPluginKey,
    state: {
      init: () => ({ mode: options.initialMode }),
      apply: (tr, value) => (tr.getMeta(suggestingPluginKey) as SuggestingState | undefined) ?? value,
    },
    appendTransaction(transactions, oldState, newState) {
      if (editingModeOf(newState) !== 'suggesting') return null;
      return rewriteAsSuggestions(oldState, transactions, newState, options.author(), (tr) => {
        if (tr.getMeta(SUGGESTION_REWRITE_META) || tr.getMeta(SUGGESTION_REVIEW_META)) return false;
        return options.isOwnEdit(tr);
      });
    },
  });
}
