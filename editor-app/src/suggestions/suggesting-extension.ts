import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { authorColor } from './author-color.js';
import { reviewSuggestions, suggestionPieces, suggestionAtSelection, type ReviewAction } from './review.js';
import { editingModeOf, setEditingMode, suggestingPlugin, suggestingPluginKey, type EditingMode, type SuggestingState } from './suggesting-plugin.js';

export interface SuggestingOptions {
  readonly initialMode: EditingMode;
  /** The person editing (read at each edit). */
  readonly author: () => { readonly id: string; readonly name: string };
  readonly onModeChange: ((mode: EditingMode) => void) | null;
}

/**
 * Suggesting mode in the editor: the mode and the rewriting plugin
 * (suggesting-plugin.ts), plus author colours and the highlighted current
 * suggestion as decorations. Remote changes (and undo, which y-tiptap
 * renders as one) are never rewritten: they arrive with y-tiptap's
 * `isChangeOrigin` meta.
 */
export const Suggesting = Extension.create<SuggestingOptions>({
  name: 'suggesting',
  addOptions() {
    return { initialMode: 'editing', author: () => ({ id: 'anonymous', name: 'Someone' }), onModeChange: null };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      suggestingPlugin({
        initialMode: options.initialMode,
        author: () => {
          const { id, name } = options.author();
          return { authorId: id, authorName: name, now: () => new Date().toISOString(), newId: () => globalThis.crypto.randomUUID() };
        },
        isOwnEdit: (tr) => (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin !== true,
      }),
      new Plugin({ key: new PluginKey('copycloud-suggestion-decorations'), props: { decorations: suggestionDecorations } }),
    ];
  },
  onTransaction({ transaction }) {
    const change = transaction.getMeta(suggestingPluginKey) as SuggestingState | undefined;
    if (change) this.options.onModeChange?.(change.mode);
  },
});

function suggestionDecorations(state: EditorState): DecorationSet {
  const pieces = suggestionPieces(state.doc);
  if (pieces.length === 0) return DecorationSet.empty;
  const current = suggestionAtSelection(state)?.id;
  const decorations = pieces.map((piece) => {
    const shown = piece.insert ?? piece.remove!;
    const isCurrent = current !== undefined && (piece.insert?.id === current || piece.remove?.id === current);
    return Decoration.inline(piece.from, piece.to, {
      style: `--suggestion-color: ${authorColor(shown.authorId)}`,
      class: isCurrent ? 'suggestion-range suggestion-range--current' : 'suggestion-range',
    });
  });
  return DecorationSet.create(state.doc, decorations);
}

export function editingMode(editor: Editor): EditingMode {
  return editingModeOf(editor.state);
}

export function switchEditingMode(editor: Editor, mode: EditingMode): void {
  editor.view.dispatch(setEditingMode(editor.state.tr, mode));
}

/** Accepts/rejects one suggestion (by id) or all of them, as one local transaction. */
export function reviewInEditor(editor: Editor, ids: ReadonlySet<string> | 'all', action: ReviewAction): void {
  editor.view.dispatch(reviewSuggestions(editor.state, ids, action).scrollIntoView());
}
