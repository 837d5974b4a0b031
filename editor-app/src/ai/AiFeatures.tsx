import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { BubbleMenu } from '@tiptap/react/menus';
import type { AiEditorContext } from './ai-context.js';
import type { AiUiSnapshot, RewritePreview } from './ai-ui-store.js';
import { countCharacters } from '../counts/count-text.js';
import { headlineVariants, REWRITE_ACTIONS, RewriteController } from './rewrite.js';
import type { AutoSuggestSetting } from './suggestion-settings.js';
import { useAiUi } from './use-ai-editor.js';
import './ai.css';

/** Shown when the server has no AI provider. */
export const AI_OFF_HINT = 'AI is off: set OPENAI_BASE_URL or AI_PROVIDER=fake';

/** Everything AI in the editor besides the ghost text: status line, selection menu, rewrite preview. */
export function AiFeatures({ editor, context, autoSuggest }: { editor: Editor; context: AiEditorContext; autoSuggest: AutoSuggestSetting }) {
  const ui = useAiUi(context);
  const rewrite = useMemo(() => new RewriteController(editor, context), [editor, context]);
  useEffect(() => () => rewrite.destroy(), [rewrite]);
  const enabled = ui.availability.state === 'ready' && ui.availability.status.configured;

  return (
    <>
      <AiStatusLine ui={ui} onCloseError={() => context.ui.update({ error: null })} onAutoSuggest={(on) => autoSuggest.set(on)} />
      {enabled && ui.rewrite === null && <RewriteMenu editor={editor} rewrite={rewrite} />}
      {ui.rewrite && <RewritePreviewPanel ui={ui} rewrite={rewrite} />}
    </>
  );
}

function AiStatusLine({ ui, onCloseError, onAutoSuggest }: { ui: AiUiSnapshot; onCloseError: () => void; onAutoSuggest: (on: boolean) => void }) {
  const { availability } = ui;
  return (
    <div className="ai-status" aria-live="polite" data-testid="ai-status" data-ghost-phase={ui.ghostPhase}>
      {availability.state === 'ready' && !availability.status.configured && (
        <span className="ai-status__hint" data-testid="ai-hint" title={availability.status.message}>
          {AI_OFF_HINT}
        </span>
      )}
      {availability.state === 'unreachable' && (
        <span className="ai-status__hint" data-testid="ai-hint">
          AI is unavailable: {availability.message}
        </span>
      )}
      {availability.state === 'ready' && availability.status.configured && (
        <span
          className="ai-status__ready"
          data-testid="ai-ready"
          title={`${ui.autoSuggest ? 'Pause typing or press' : 'Press'} Ctrl+Space for a suggestion; Tab or → accepts (in lists Tab indents); select text to rewrite it`}
        >
          {/* No keyboard shortcuts to offer on a touch screen (hidden there by layout/responsive.css). */}
          <span className="ai-status__keys" data-testid="ai-keys-hint">
            AI: {ui.autoSuggest ? 'pause or Ctrl+Space' : 'Ctrl+Space'} to suggest, Tab to accept
          </span>
          <label className="ai-status__toggle">
            <input type="checkbox" data-testid="ai-auto-suggest" checked={ui.autoSuggest} onChange={(event) => onAutoSuggest(event.target.checked)} />
            Suggest while typing
          </label>
          {ui.demo && (
            <span className="ai-status__demo" data-testid="ai-demo-label" title={`${availability.status.model ?? 'fake'}: deterministic text from the built-in fake server, not a real model`}>
              demo model
            </span>
          )}
        </span>
      )}
      {ui.error && (
        <span className="ai-status__error" role="alert">
          <span data-testid="ai-error">{ui.error}</span>
          <button type="button" className="ai-status__close" aria-label="Close message" onClick={onCloseError}>
            ×
          </button>
        </span>
      )}
    </div>
  );
}

function RewriteMenu({ editor, rewrite }: { editor: Editor; rewrite: RewriteController }) {
  const [instruction, setInstruction] = useState('');
  const submitCustom = (event: FormEvent) => {
    event.preventDefault();
    const request = instruction.trim();
    if (request === '') return;
    rewrite.start('custom', request);
    setInstruction('');
  };
  return (
    <BubbleMenu
      editor={editor}
      pluginKey="aiRewriteMenu"
      shouldShow={({ state, editor: current }) => current.isEditable && !state.selection.empty && !current.isActive('codeBlock')}
      options={{ placement: 'bottom-start' }}
    >
      <div className="rewrite-menu" data-testid="rewrite-menu" role="menu" aria-label="Rewrite with AI">
        {REWRITE_ACTIONS.map((action) => (
          <button
            key={action.kind}
            type="button"
            role="menuitem"
            className="rewrite-menu__item"
            data-testid={`rewrite-${action.kind}`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => rewrite.start(action.kind)}
          >
            {action.label}
          </button>
        ))}
        <form className="rewrite-menu__custom" onSubmit={submitCustom}>
          <input
            className="rewrite-menu__input"
            data-testid="rewrite-custom-input"
            placeholder="Or say how…"
            maxLength={500}
            value={instruction}
            onChange={(event) => setInstruction(event.target.value)}
          />
          <button type="submit" className="rewrite-menu__item" data-testid="rewrite-custom">
            Rewrite
          </button>
        </form>
      </div>
    </BubbleMenu>
  );
}

function RewritePreviewPanel({ ui, rewrite }: { ui: AiUiSnapshot; rewrite: RewriteController }) {
  const preview = ui.rewrite!;
  // Escape cancels the preview wherever the focus is (editor, preview, page): the text stays as it was.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      rewrite.close();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [rewrite]);
  if (preview.kind === 'headlines') return <HeadlineVariantsPanel preview={preview} demo={ui.demo} rewrite={rewrite} />;
  const done = preview.phase === 'done';
  return (
    <section className="rewrite-preview" data-testid="rewrite-preview" data-phase={preview.phase} aria-label="Rewrite preview">
      <div className="rewrite-preview__columns">
        <div className="rewrite-preview__column">
          <h3>Original</h3>
          <p data-testid="rewrite-original">{preview.original}</p>
        </div>
        <div className="rewrite-preview__column">
          <h3>
            Rewrite{preview.phase === 'streaming' ? ' (writing…)' : ''}
            {ui.demo && <span className="ai-status__demo">demo model</span>}
          </h3>
          <p data-testid="rewrite-result">{preview.text}</p>
        </div>
      </div>
      <div className="rewrite-preview__actions">
        <button type="button" className="button button--primary" data-testid="rewrite-accept" disabled={!done} onClick={() => rewrite.accept()}>
          Accept
        </button>
        <button type="button" className="button" data-testid="rewrite-reject" onClick={() => rewrite.close()}>
          {preview.phase === 'failed' ? 'Close' : 'Reject'}
        </button>
      </div>
    </section>
  );
}

/**
 * Headline variants side by side (stacked on a phone): one card per
 * headline, picked with a click or Enter; the pick replaces the selection
 * exactly as an accepted rewrite does (AIUX3). Cards appear as their lines
 * finish streaming and can be picked once the answer is complete; the
 * first one takes the focus then, so the keyboard can choose (Tab, Enter)
 * or cancel (Escape).
 */
function HeadlineVariantsPanel({ preview, demo, rewrite }: { preview: RewritePreview; demo: boolean; rewrite: RewriteController }) {
  const done = preview.phase === 'done';
  const limit = preview.limit ?? null;
  const lines = headlineVariants(preview.text);
  // While streaming, the last line may still be growing: it is not offered yet.
  const variants = done || preview.text.endsWith('\n') ? lines : lines.slice(0, -1);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (done) first.current?.focus();
  }, [done]);
  return (
    <section className="rewrite-preview rewrite-preview--headlines" data-testid="rewrite-preview" data-kind="headlines" data-phase={preview.phase} aria-label="Headline variants">
      <div className="headline-variants__header">
        <h3>
          {done ? 'Pick a headline' : preview.phase === 'failed' ? 'Headline variants' : 'Writing headline variants…'}
          {demo && <span className="ai-status__demo">demo model</span>}
        </h3>
        <p className="headline-variants__original">
          Replaces <q data-testid="rewrite-original">{preview.original}</q>
        </p>
      </div>
      <ul className="headline-variants" data-testid="headline-variants" data-count={variants.length}>
        {variants.map((variant, index) => {
          const characters = countCharacters(variant);
          const over = limit !== null && characters > limit;
          return (
            <li key={index} className="headline-variants__item">
              <button
                ref={index === 0 ? first : undefined}
                type="button"
                className="headline-card"
                data-testid={`headline-variant-${index}`}
                disabled={!done}
                onClick={() => rewrite.accept(variant)}
              >
                <span className="headline-card__text" data-testid="headline-variant-text">
                  {variant}
                </span>
                {/* Against the block's own target when it has one (COUNT6): which variants fit shows at a glance. */}
                <span className={over ? 'headline-card__meta headline-card__meta--over' : 'headline-card__meta'} data-testid="headline-variant-length" data-state={limit === null ? 'none' : over ? 'over' : 'within'}>
                  {limit === null ? `${characters} characters` : `${characters} / ${limit}`}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <div className="rewrite-preview__actions">
        <button type="button" className="button" data-testid="rewrite-reject" onClick={() => rewrite.close()}>
          {preview.phase === 'failed' ? 'Close' : 'Cancel'}
        </button>
        <span className="headline-variants__hint">Esc cancels; the text stays as it is</span>
      </div>
    </section>
  );
}
