import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { CommentThread } from '@copycloud/protocol';
import { rangeOfAnchor } from './comment-anchors.js';

interface HighlightState {
  readonly threads: readonly CommentThread[];
  readonly activeId: string | null;
  readonly decorations: DecorationSet;
}

type HighlightMeta = { threads?: readonly CommentThread[]; activeId?: string | null; recompute?: true };

export const commentHighlightsKey = new PluginKey<HighlightState>('comment-highlights');

/** Tells the highlights about new threads or the active thread (no document change). */
export function setHighlights(tr: Transaction, meta: HighlightMeta): Transaction {
  return tr.setMeta(commentHighlightsKey, meta).setMeta('addToHistory', false);
}

/**
 * Highlights the text of every open thread, computed from the threads'
 * Yjs relative positions, so a highlight follows its words through
 * everyone's edits. Between recomputations decorations are mapped through
 * each transaction; after a document change they are recomputed from Yjs
 * (once the sync plugin has written the change to the Y.Doc).
 */
export function commentHighlightsPlugin(options: { onActivate: (threadId: string) => void }): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: commentHighlightsKey,
    state: {
      init: () => ({ threads: [], activeId: null, decorations: DecorationSet.empty }),
      apply(tr, value, _old, state) {
        const meta = tr.getMeta(commentHighlightsKey) as HighlightMeta | undefined;
        if (!meta) return tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
        const next = { threads: meta.threads ?? value.threads, activeId: meta.activeId !== undefined ? meta.activeId : value.activeId };
        return { ...next, decorations: decorate(state, next.threads, next.activeId) };
      },
    },
    props: {
      decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
      handleClick(view, pos) {
        const found = commentHighlightsKey.getState(view.state)?.decorations.find(pos, pos);
        const threadId = found?.[0]?.spec.threadId as string | undefined;
        if (threadId) options.onActivate(threadId);
        return false;
      },
    },
    view: () => {
      let scheduled: ReturnType<typeof setTimeout> | undefined;
      return {
        update(view, previous) {
          if (view.state.doc === previous.doc || scheduled) return;
          // After this update cycle: the sync plugin has written local edits to Yjs by then.
          scheduled = setTimeout(() => {
            scheduled = undefined;
            if (!view.isDestroyed) view.dispatch(setHighlights(view.state.tr, { recompute: true }));
          }, 0);
        },
        destroy() {
          if (scheduled) clearTimeout(scheduled);
        },
      };
    },
  });
}

function decorate(state: EditorState, threads: readonly CommentThread[], activeId: string | null): DecorationSet {
  const decorations: Decoration[] = [];
  for (const thread of threads) {
    if (thread.resolved || thread.replies[0]?.deleted) continue;
    const range = rangeOfAnchor(state, thread.anchor);
    if (!range) continue;
    const active = thread.id === activeId;
    decorations.push(
      Decoration.inline(
        range.from,
        range.to,
        { class: active ? 'comment-highlight comment-highlight--active' : 'comment-highlight', 'data-testid': 'comment-highlight', 'data-thread-id': thread.id },
        { threadId: thread.id },
      ),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}
