import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Editor } from '@tiptap/react';
import type * as Y from 'yjs';
import type { CommentAnchor } from '@copycloud/protocol';
import type { DocumentRole } from '../documents/documents-api.js';
import { anchorOfRange, rangeOfAnchor } from './comment-anchors.js';
import { commentHighlightsKey, commentHighlightsPlugin, setHighlights } from './comment-highlights.js';
import { commentPermissions } from './comment-permissions.js';
import { isCommentShortcut } from './comment-shortcut.js';
import { CommentsApi } from './comments-api.js';
import { CommentsPanel, type Draft } from './CommentsPanel.js';
import { layoutThreads } from './thread-layout.js';
import { CommentThreadStore } from './thread-store.js';
import { MemberDirectory } from './member-directory.js';
import { clearThreadLink, useLinkedThread } from '../notifications/thread-link.js';
import { SuggestEditAction } from '../suggestions/SuggestEditAction.js';
import { placeSelectionActions, type SelectionActionsPlacement } from './selection-actions.js';
import './comments.css';

/** What the page knows about the person, for comments. */
export interface CommentsSetup {
  readonly documentId: string;
  readonly role: DocumentRole | null;
  readonly userId: string | null;
  readonly accessToken: () => Promise<string>;
  /** The document's members, for @mentions (none = nobody offered). */
  readonly listMembers?: () => Promise<ReadonlyArray<{ userId: string; name: string }>>;
  /** A thread was selected (opened from a notification, or in the panel): its notifications are read. */
  readonly onThreadViewed?: (threadId: string) => void;
}

/**
 * Comments on this document: highlights on the commented text, a "Comment"
 * button by the selection (and Ctrl+Alt+M), and the side panel with every
 * thread. Works on read-only pages too: commenters comment without typing
 * in the text, viewers read.
 */
export function CommentsFeature({ editor, ydoc, setup }: { editor: Editor | null; ydoc: Y.Doc; setup: CommentsSetup }) {
  const store = useMemo(() => new CommentThreadStore(ydoc), [ydoc]);
  const threads = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const api = useMemo(() => new CommentsApi(setup.documentId, setup.accessToken), [setup.documentId, setup.accessToken]);
  const permissions = useMemo(() => commentPermissions(setup.role, setup.userId), [setup.role, setup.userId]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  /** Where the "Comment" button goes (viewport coordinates): beside the page at the selection's first line, or floating under it on narrow screens. */
  const [selection, setSelection] = useState<SelectionActionsPlacement | null>(null);
  // Bumped on every editor transaction, so positions in the panel follow the text.
  const [revision, setRevision] = useState(0);
  // The page passes a new setup object on every render: callbacks are read from the latest one.
  const latestSetup = useRef(setup);
  useEffect(() => {
    latestSetup.current = setup;
  });
  const [members] = useState(() => new MemberDirectory(async () => (await latestSetup.current.listMembers?.()) ?? [], () => latestSetup.current.userId));
  const linkedThread = useLinkedThread();

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.registerPlugin(commentHighlightsPlugin({ onActivate: setActiveId }));
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(commentHighlightsKey);
    };
  }, [editor]);

  useEffect(() => {
    if (!editor || editor.isDestroyed || !commentHighlightsKey.getState(editor.state)) return;
    editor.view.dispatch(setHighlights(editor.state.tr, { threads, activeId }));
  }, [editor, threads, activeId]);

  useEffect(() => {
    if (!editor) return;
    const place = () => {
      if (editor.isDestroyed) return;
      const { from, to, empty } = editor.state.selection;
      if (empty || editor.state.doc.textBetween(from, to, ' ').trim() === '') return setSelection(null);
      const page = editor.view.dom.getBoundingClientRect();
      const box = { pageRight: page.right, top: editor.view.coordsAtPos(from).top, bottom: editor.view.coordsAtPos(to).bottom };
      const placed = placeSelectionActions(box, { width: window.innerWidth, height: window.innerHeight });
      // Same place (a scroll inside the panel, say): no new render.
      setSelection((current) => (current && JSON.stringify(current) === JSON.stringify(placed) ? current : placed));
    };
    const update = () => {
      setRevision((r) => r + 1);
      place();
    };
    // Floating actions follow the words when the page scrolls or the window turns (a phone rotated).
    const follow = () => {
      if (editor.isDestroyed || editor.state.selection.empty) return;
      place();
    };
    editor.on('transaction', update);
    window.addEventListener('scroll', follow, { capture: true, passive: true });
    window.addEventListener('resize', follow);
    return () => {
      editor.off('transaction', update);
      window.removeEventListener('scroll', follow, { capture: true });
      window.removeEventListener('resize', follow);
    };
  }, [editor]);

  const startDraft = useCallback(() => {
    if (!editor || !permissions.canComment) return;
    const { from, to, empty } = editor.state.selection;
    if (empty) return;
    const anchor: CommentAnchor | null = anchorOfRange(editor.state, from, to);
    if (!anchor) return;
    setDraft({ anchor, quote: editor.state.doc.textBetween(from, to, ' ', ' ') });
  }, [editor, permissions.canComment]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isCommentShortcut(event)) return;
      event.preventDefault();
      startDraft();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startDraft]);

  const layout = useMemo(() => {
    // Re-placed after every transaction (`revision`): positions follow the text.
    void revision;
    return layoutThreads(threads, (thread) => (editor && !editor.isDestroyed ? rangeOfAnchor(editor.state, thread.anchor) : null));
  }, [threads, editor, revision]);

  /** Selects a thread: highlighted in the text, which scrolls to it (the panel scrolls to its card). */
  const activate = useCallback(
    (threadId: string) => {
      setActiveId(threadId);
      const placed = layout.open.find((p) => p.thread.id === threadId);
      if (placed?.range && editor && !editor.isDestroyed) {
        editor.view.domAtPos(placed.range.from).node.parentElement?.scrollIntoView({ block: 'nearest' });
      }
    },
    [layout, editor],
  );

  // A link to a thread (`#thread=…`, from a notification): select it once it is here (the document may still be syncing).
  useEffect(() => {
    if (!linkedThread || !editor) return;
    if (![...layout.open, ...layout.resolved].some((p) => p.thread.id === linkedThread)) return;
    activate(linkedThread);
    clearThreadLink();
  }, [linkedThread, layout, editor, activate]);

  useEffect(() => {
    if (activeId) latestSetup.current.onThreadViewed?.(activeId);
  }, [activeId]);

  const actions = selection && permissions.canComment && !draft ? selection : null;

  return (
    <>
      {/*
        The selection's actions. On desktop the group is layout-free (each button sits beside the page);
        on narrow screens it is a row floating inside the window, under the selected words (selection-actions.ts).
      */}
      <div
        className={actions?.floating ? 'selection-actions selection-actions--floating' : 'selection-actions'}
        role={actions ? 'group' : undefined}
        aria-label={actions ? 'Actions on the selected text' : undefined}
        data-testid="selection-actions"
        style={actions?.floating ? { top: `${actions.top}px` } : undefined}
      >
        {actions && (
          <button
            type="button"
            className="comment-button"
            data-testid="comment-button"
            style={actions.floating ? undefined : { top: `${Math.max(0, actions.top)}px`, left: `${actions.left}px` }}
            title="Comment (Ctrl+Alt+M)"
            // Keep the selection: a mousedown on the button must not move it.
            onMouseDown={(event) => event.preventDefault()}
            onClick={startDraft}
          >
            💬 Comment
          </button>
        )}
        {/* Commenters cannot type: "Suggest edit" beside the Comment button sends a suggestion through the review API. */}
        <SuggestEditAction editor={editor} setup={setup} position={actions} />
      </div>
      <CommentsPanel
        layout={layout}
        permissions={permissions}
        api={api}
        activeId={activeId}
        onActivate={activate}
        candidates={members.candidates}
        draft={draft}
        onDraftDone={(threadId) => {
          setDraft(null);
          if (threadId) setActiveId(threadId);
        }}
      />
    </>
  );
}
