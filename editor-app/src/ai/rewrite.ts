import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type { RewriteKind } from './ai-client.js';
import { failureMessage, type AiEditorContext } from './ai-context.js';
import type { RewritePreview } from './ai-ui-store.js';
import { blockAtCursor } from '../counts/block-targets.js';
import { insertAiText } from './ghost-text.js';
import { anchorAt, resolveAnchor, type YAnchor } from './yjs-positions.js';

/** The rewrite presets offered in the selection menu, in order. */
export const REWRITE_ACTIONS: readonly { kind: Exclude<RewriteKind, 'custom'>; label: string }[] = [
  { kind: 'shorter', label: 'Shorter' },
  { kind: 'longer', label: 'Longer' },
  { kind: 'friendlier', label: 'Friendlier' },
  { kind: 'professional', label: 'More professional' },
  { kind: 'persuasive', label: 'More persuasive' },
  { kind: 'fix_grammar', label: 'Fix grammar' },
  { kind: 'headlines', label: 'Headline variants' },
];

/** How many headlines "Headline variants" asks for: enough to compare, few enough to sit side by side. */
export const HEADLINE_VARIANTS = 4;

/**
 * Headline variants arrive one per line; each is offered on its own. A model
 * that numbers, bullets or quotes them despite the prompt gets them
 * cleaned: the list marker and the quotes around a line are not the headline.
 */
export function headlineVariants(text: string): string[] {
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^(?:\d{1,2}[.)]|[-*•])\s+/, '')
        .replace(/^(["“'‘])(.*)(["”'’])$/, '$2')
        .trim(),
    )
    .filter((line) => line !== '');
}

/**
 * One rewrite at a time: the selection is held as two Yjs relative
 * positions, so it survives collaborators' edits while the rewrite streams;
 * Accept replaces what the selection covers *then*, for everyone, in one
 * transaction marked AI-authored. The preview lives in the AiUiStore.
 */
export class RewriteController {
  private current: { controller: AbortController; from: YAnchor; to: YAnchor; model: string | null } | null = null;

  constructor(
    private readonly editor: Editor,
    private readonly context: AiEditorContext,
  ) {}

  start(kind: RewriteKind, request?: string): void {
    const { state } = this.editor;
    const { from, to, empty } = state.selection;
    if (empty) return;
    const fromAnchor = anchorAt(state, from);
    const toAnchor = anchorAt(state, to);
    if (!fromAnchor || !toAnchor) return;
    this.abort();
    const controller = new AbortController();
    this.current = { controller, from: fromAnchor, to: toAnchor, model: null };
    const preview: RewritePreview = {
      kind,
      original: state.doc.textBetween(from, to, '\n\n'),
      text: '',
      phase: 'streaming',
      model: null,
      limit: blockAtCursor(state)?.limit ?? null,
    };
    this.context.ui.update({ rewrite: preview, error: null });
    void this.stream(controller, preview, { from: fromAnchor, to: toAnchor }, kind, request);
  }

  /** Replaces the selection with the rewrite (or the chosen headline). */
  accept(text?: string): void {
    const preview = this.context.ui.getSnapshot().rewrite;
    const current = this.current;
    if (!preview || preview.phase !== 'done' || !current) return;
    const from = resolveAnchor(this.editor.state, current.from);
    const to = resolveAnchor(this.editor.state, current.to);
    if (from === null || to === null || from >= to) {
      this.context.ui.update({ error: 'The selected text was deleted or changed meanwhile; nothing was replaced.', rewrite: null });
      this.current = null;
      return;
    }
    const replacement = (text ?? preview.text).trim();
    if (replacement === '') return;
    // The cursor lands after the rewrite (no selection left over it, so the menu does not come back).
    insertAiText(this.editor, from, to, replacement, current.model ?? 'unknown model', (tr) => {
      tr.setSelection(TextSelection.near(tr.doc.resolve(tr.mapping.map(to))));
    });
    this.finish();
  }

  /**
   * Reject / close: aborts a rewrite still streaming and leaves the document
   * alone; the cursor goes back to the end of the text that was selected.
   */
  close(): void {
    const current = this.current;
    const to = current ? resolveAnchor(this.editor.state, current.to) : null;
    if (to !== null && !this.editor.isDestroyed) {
      this.editor.view.dispatch(this.editor.state.tr.setSelection(TextSelection.near(this.editor.state.doc.resolve(to))).setMeta('addToHistory', false));
    }
    this.finish();
  }

  /**
   * Ends the preview and gives the keyboard back to the editor: focus was on
   * the preview's button, which is about to go, and keys pressed on the page
   * body (Ctrl+Z above all) must reach the editor, not the browser.
   */
  private finish(): void {
    this.abort();
    this.current = null;
    this.context.ui.update({ rewrite: null });
    if (!this.editor.isDestroyed) this.editor.view.focus();
  }

  destroy(): void {
    this.abort();
  }

  private abort(): void {
    this.current?.controller.abort(new DOMException('rewrite closed', 'AbortError'));
  }

  private async stream(controller: AbortController, initial: RewritePreview, selection: { from: YAnchor; to: YAnchor }, kind: RewriteKind, request?: string) {
    const { signal } = controller;
    let preview = initial;
    const show = (next: RewritePreview) => {
      preview = next;
      if (!signal.aborted) this.context.ui.update({ rewrite: next });
    };
    try {
      await this.context.whenSaved(signal);
      signal.throwIfAborted();
      const body = {
        documentId: this.context.documentId,
        selection: { from: { relative: selection.from.key }, to: { relative: selection.to.key } },
        kind,
        ...(request !== undefined ? { request } : {}),
        ...(kind === 'headlines' ? { variants: HEADLINE_VARIANTS } : {}),
      };
      for await (const event of this.context.client.rewrite(body, signal)) {
        if (event.type === 'start') {
          if (this.current?.controller === controller) this.current.model = event.model;
          this.context.ui.update({ demo: event.demo });
          show({ ...preview, model: event.model });
        } else if (event.type === 'delta') {
          show({ ...preview, text: preview.text + event.text });
        } else if (event.type === 'done') {
          show({ ...preview, phase: 'done' });
        }
      }
    } catch (error) {
      const message = failureMessage(error, signal);
      if (message === null) return;
      // Nothing is inserted: the half rewrite stays in the preview only, marked failed.
      this.context.ui.update({ rewrite: { ...preview, phase: 'failed' }, error: message });
    }
  }
}
