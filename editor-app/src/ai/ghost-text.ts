import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { Mark, type Node as PMNode } from '@tiptap/pm/model';
import { ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import { AI_AUTHORED_MARK } from '@copycloud/schema/extensions';
import { failureMessage, type AiEditorContext } from './ai-context.js';
import { idleGhost, reduceGhost, visibleSuggestion, type GhostEvent, type GhostState } from './ghost-machine.js';
import { anchorAt, resolveAnchor, type YAnchor } from './yjs-positions.js';
import { carryMarks, type MarkedSpan } from './carry-marks.js';
import { listItemTypeAt } from './list-keys.js';

/**
 * Ghost text: the AI's suggested continuation drawn after the cursor as a
 * widget decoration — local to this editor, never in the shared Y.Doc — and
 * anchored by a Yjs relative position, so it stays put while collaborators
 * edit above it. Tab (or → once complete) inserts it as one transaction (one
 * undo step) marked AI-authored — except in a list, where Tab indents;
 * Esc, typing or moving the cursor dismisses it and aborts the request.
 * The request lifecycle is the pure machine in ghost-machine.ts.
 */

interface GhostView {
  readonly anchor: YAnchor | null;
  /** Where the anchor resolves in the current document. */
  readonly pos: number | null;
  readonly text: string;
  readonly model: string;
  readonly complete: boolean;
}

type GhostMeta = { type: 'show'; anchor: YAnchor; text: string; model: string; complete: boolean } | { type: 'clear' } | { type: 'accept' };

const EMPTY: GhostView = { anchor: null, pos: null, text: '', model: '', complete: false };

export const ghostTextKey = new PluginKey<GhostView>('aiGhostText');

function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

function ghostPlugin(): Plugin<GhostView> {
  return new Plugin<GhostView>({
    key: ghostTextKey,
    state: {
      init: () => EMPTY,
      apply(tr, value, old, state) {
        const meta = tr.getMeta(ghostTextKey) as GhostMeta | undefined;
        // The Yjs binding is read from the old state: plugins after this one have no state in `state` yet.
        const resolve = (anchor: YAnchor) => resolveAnchor(old, anchor, state.doc);
        if (meta?.type === 'show') {
          const pos = resolve(meta.anchor);
          return pos === null ? EMPTY : { anchor: meta.anchor, pos, text: meta.text, model: meta.model, complete: meta.complete };
        }
        if (meta) return EMPTY;
        if (!value.anchor) return value;
        if (isRemote(tr)) {
          // Someone else's edit (the binding replaced the whole document): follow the anchor, not the old offset.
          if (!tr.docChanged) return value;
          const pos = resolve(value.anchor);
          return pos === null ? EMPTY : { ...value, pos };
        }
        // My own edit or cursor move dismisses at once, before the controller even hears of it.
        return tr.docChanged || tr.selectionSet ? EMPTY : value;
      },
    },
    props: {
      decorations(state) {
        const view = ghostTextKey.getState(state);
        if (!view || view.pos === null || view.text === '') return null;
        const widget = Decoration.widget(view.pos, () => ghostElement(view), {
          side: 1,
          ignoreSelection: true,
          key: `ghost:${view.complete}:${view.text}`,
        });
        return DecorationSet.create(state.doc, [widget]);
      },
    },
  });
}

function ghostElement(view: GhostView): HTMLElement {
  const span = document.createElement('span');
  span.className = view.complete ? 'ai-ghost ai-ghost--complete' : 'ai-ghost';
  span.dataset['testid'] = 'ghost-text';
  span.dataset['complete'] = String(view.complete);
  span.setAttribute('aria-hidden', 'true');
  span.contentEditable = 'false';
  span.title = view.complete ? 'AI suggestion: Tab to accept, Esc to dismiss' : 'AI suggestion (still arriving): Esc to dismiss';
  // Drawn by CSS from the attribute, not as a text node: the suggestion is
  // not document text, so DOM text reads, selection and copy never see it.
  span.dataset['text'] = view.text;
  return span;
}

/** Drives the machine: timers, requests, aborts, and what the plugin draws. */
export class GhostTextController {
  private state: GhostState<YAnchor> = idleGhost;
  private nextRequestId = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly requests = new Map<number, AbortController>();
  private destroyed = false;

  constructor(
    private readonly editor: Editor,
    private readonly context: AiEditorContext,
  ) {}

  get phase(): GhostState['phase'] {
    return this.state.phase;
  }

  /** Classifies an applied transaction as the user typing or moving (others' edits and our own are neither). */
  observe(tr: Transaction): void {
    if (tr.getMeta(ghostTextKey) || isRemote(tr)) return;
    if (tr.docChanged) {
      if (!this.context.ui.enabled) return;
      // Suggestions switched off: typing still drops one asked for with Ctrl+Space, but waits for no pause.
      this.dispatch(this.context.ui.getSnapshot().autoSuggest ? { type: 'typed' } : { type: 'dismissed' });
    } else if (tr.selectionSet) {
      this.dispatch({ type: 'moved' });
    }
  }

  /** Ctrl+Space. */
  trigger(): void {
    this.dispatch({ type: 'triggered', anchor: this.anchorAtCursor() });
  }

  /** Esc: true when there was something to dismiss. */
  dismiss(): boolean {
    if (this.state.phase === 'idle') return false;
    this.dispatch({ type: 'dismissed' });
    return true;
  }

  /**
   * Tab: inserts a finished suggestion. True when Tab was ours (also while a
   * suggestion is still streaming in, so Tab does not indent under it).
   */
  accept(): boolean {
    const state = this.state;
    if (state.phase === 'streaming') return true;
    if (state.phase !== 'ready') return false;
    const view = ghostTextKey.getState(this.editor.state);
    if (!view || view.pos === null || view.text === '') {
      this.dispatch({ type: 'dismissed' });
      return true;
    }
    insertAiText(this.editor, view.pos, view.pos, view.text, view.model, (tr) => {
      tr.setMeta(ghostTextKey, { type: 'accept' } satisfies GhostMeta);
      tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(view.pos!)));
    });
    this.dispatch({ type: 'accepted' });
    return true;
  }

  /** → at a finished suggestion inserts it (as in Gmail); otherwise → moves the cursor as usual. */
  acceptReady(): boolean {
    return this.state.phase === 'ready' ? this.accept() : false;
  }

  /**
   * Tab in a list indents the item (Shift+Tab outdents, bound by the list
   * extension): a suggestion there is dismissed, never inserted. Tab stays in
   * the editor even where the item cannot go deeper (the first item).
   */
  indentListItem(): boolean {
    const itemType = listItemTypeAt(this.editor.state);
    if (!itemType) return false;
    this.dismiss();
    this.editor.commands.sinkListItem(itemType.name);
    return true;
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    for (const controller of this.requests.values()) controller.abort(new DOMException('editor closed', 'AbortError'));
    this.requests.clear();
  }

  private dispatch(event: GhostEvent<YAnchor>): void {
    if (this.destroyed) return;
    const t = reduceGhost(this.state, event, this.nextRequestId);
    this.state = t.state;
    this.nextRequestId = t.nextRequestId;
    if (this.context.ui.getSnapshot().ghostPhase !== t.state.phase) this.context.ui.update({ ghostPhase: t.state.phase });
    for (const effect of t.effects) {
      switch (effect.type) {
        case 'start-timer':
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.trigger(), effect.delayMs);
          break;
        case 'cancel-timer':
          clearTimeout(this.timer);
          break;
        case 'request':
          void this.request(effect.requestId, effect.anchor);
          break;
        case 'abort':
          this.requests.get(effect.requestId)?.abort(new DOMException('suggestion dismissed', 'AbortError'));
          this.requests.delete(effect.requestId);
          break;
      }
    }
    this.render();
  }

  private anchorAtCursor(): YAnchor | null {
    const { state } = this.editor;
    const { selection } = state;
    if (!this.context.ui.enabled || !this.editor.isEditable || !selection.empty) return null;
    const { $from } = selection;
    if (!$from.parent.isTextblock || $from.parent.type.spec.code) return null;
    return anchorAt(state, selection.from);
  }

  private async request(requestId: number, anchor: YAnchor): Promise<void> {
    const controller = new AbortController();
    this.requests.set(requestId, controller);
    const { signal } = controller;
    try {
      this.context.ui.update({ error: null });
      await this.context.whenSaved(signal);
      signal.throwIfAborted();
      for await (const event of this.context.client.complete({ documentId: this.context.documentId, cursor: { relative: anchor.key } }, signal)) {
        switch (event.type) {
          case 'start':
            this.context.ui.update({ demo: event.demo });
            this.dispatch({ type: 'started', requestId, model: event.model });
            break;
          case 'delta':
            this.dispatch({ type: 'delta', requestId, text: event.text });
            break;
          case 'done':
            this.dispatch({ type: 'finished', requestId });
            break;
          case 'error':
            break; // the client throws these
        }
      }
    } catch (error) {
      const message = failureMessage(error, signal);
      if (message === null) return;
      this.dispatch({ type: 'failed', requestId });
      this.context.ui.update({ error: message });
    } finally {
      this.requests.delete(requestId);
    }
  }

  /** Makes the plugin draw what the machine holds (no transaction when nothing changed). */
  private render(): void {
    if (this.editor.isDestroyed) return;
    const wanted = visibleSuggestion(this.state);
    const drawn = ghostTextKey.getState(this.editor.state);
    if (!wanted) {
      if (drawn?.anchor) this.editor.view.dispatch(this.editor.state.tr.setMeta(ghostTextKey, { type: 'clear' } satisfies GhostMeta).setMeta('addToHistory', false));
      return;
    }
    if (drawn?.anchor?.key === wanted.anchor.key && drawn.text === wanted.text && drawn.complete === wanted.complete) return;
    this.editor.view.dispatch(
      this.editor.state.tr
        .setMeta(ghostTextKey, { type: 'show', anchor: wanted.anchor, text: wanted.text, model: wanted.model, complete: wanted.complete } satisfies GhostMeta)
        .setMeta('addToHistory', false),
    );
  }
}

/**
 * Replaces [from, to) with AI text in ONE transaction, marked AI-authored
 * (model, time). Formatting: an insertion takes the marks at `from`; a
 * replacement keeps the original's bold/italic/links where the text allows
 * (carry-marks.ts). The transaction is a local one, so the collaborative
 * undo manager tracks it; undo capture is cut before and after, so it is
 * its own undo step and never merged with the typing around it. Paragraph
 * breaks in `text` become paragraphs. Returns where the inserted text ends.
 */
export function insertAiText(editor: Editor, from: number, to: number, text: string, model: string, finish?: (tr: Transaction) => void): number {
  const { state } = editor;
  const markType = state.schema.marks[AI_AUTHORED_MARK];
  if (!markType) throw new Error(`the editor schema has no ${AI_AUTHORED_MARK} mark`);
  const aiMark = markType.create({ model, time: new Date().toISOString() });
  const original = from < to ? markedSpans(state.doc, from, to) : [{ text: '', marks: state.doc.resolve(from).marks() }];
  const nodes = (paragraph: string): PMNode[] =>
    (from < to ? carryMarks(original, paragraph, (a, b) => a.eq(b)) : [{ text: paragraph, marks: original[0]!.marks }])
      .filter((span) => span.text !== '')
      .map((span) => state.schema.text(span.text, aiMark.addToSet(Mark.setFrom([...span.marks]))));
  const paragraphs = text.split(/\n{2,}/).map((p) => p.replace(/^\n+|\n+$/g, ''));
  const tr = state.tr;
  let end: number;
  if (paragraphs.length === 1) {
    const inserted = nodes(paragraphs[0]!);
    tr.replaceWith(from, to, inserted);
    end = from + inserted.reduce((size, node) => size + node.nodeSize, 0);
  } else {
    tr.delete(from, to);
    // Split the block at the insertion point for every paragraph break.
    let pos = from;
    paragraphs.forEach((paragraph, index) => {
      if (index > 0) {
        tr.split(pos);
        pos += 2;
      }
      const inserted = nodes(paragraph);
      if (inserted.length > 0) {
        tr.insert(pos, inserted);
        pos += inserted.reduce((size, node) => size + node.nodeSize, 0);
      }
    });
    end = pos;
  }
  finish?.(tr);
  stopUndoCapture(state);
  editor.view.dispatch(tr);
  stopUndoCapture(editor.state);
  return end;
}

/** The text of [from, to) as runs with their marks (block boundaries become spaces). */
function markedSpans(doc: PMNode, from: number, to: number): MarkedSpan<Mark>[] {
  const spans: MarkedSpan<Mark>[] = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.isText) {
      const start = Math.max(from, pos) - pos;
      const stop = Math.min(to, pos + node.nodeSize) - pos;
      spans.push({ text: node.text!.slice(start, stop), marks: node.marks });
    } else if (node.isBlock && spans.length > 0) {
      spans.push({ text: ' ', marks: [] });
    }
    return true;
  });
  return spans;
}

function stopUndoCapture(state: EditorState): void {
  const undo = yUndoPluginKey.getState(state) as { undoManager?: { stopCapturing(): void } } | undefined;
  undo?.undoManager?.stopCapturing();
}

export interface GhostTextOptions {
  context: AiEditorContext | null;
}

interface GhostTextStorage {
  controller: GhostTextController | null;
}

export const GhostText = Extension.create<GhostTextOptions, GhostTextStorage>({
  name: 'aiGhostText',
  // Before list indentation and other Tab bindings.
  priority: 1000,
  addOptions() {
    return { context: null };
  },
  addStorage() {
    return { controller: null };
  },
  addProseMirrorPlugins() {
    return [ghostPlugin()];
  },
  onCreate() {
    if (this.options.context) this.storage.controller = new GhostTextController(this.editor, this.options.context);
  },
  onTransaction({ transaction }) {
    this.storage.controller?.observe(transaction);
  },
  onBlur() {
    this.storage.controller?.dismiss();
  },
  onDestroy() {
    this.storage.controller?.destroy();
    this.storage.controller = null;
  },
  addKeyboardShortcuts() {
    return {
      Tab: () => {
        const controller = this.storage.controller;
        if (!controller) return false;
        return controller.indentListItem() || controller.accept();
      },
      ArrowRight: () => this.storage.controller?.acceptReady() ?? false,
      Escape: () => this.storage.controller?.dismiss() ?? false,
      'Ctrl-Space': () => {
        if (!this.storage.controller) return false;
        this.storage.controller.trigger();
        return true;
      },
    };
  },
});
