import { useMemo, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type { DocumentRole } from '../documents/documents-api.js';
import type { SelectionActionsPlacement } from '../comments/selection-actions.js';
import { checkSuggestedText, normalizeSuggestedText, suggestEditErrorMessage, suggestEditTarget, SuggestionsApi } from './suggest-edit.js';
import './suggest-edit.css';

export interface SuggestEditSetup {
  readonly documentId: string;
  readonly role: DocumentRole | null;
  readonly accessToken: () => Promise<string>;
}

/** Where the dialog opened, and on which words (positions taken when it opened, so later selection changes do not move it). */
interface Open {
  readonly top: number;
  readonly left: number;
  readonly target: ReturnType<typeof suggestEditTarget>;
}

const DIALOG_WIDTH_PX = 320;
/** About the dialog's height (quote, three lines, buttons): a floating dialog is kept inside the window with it. */
const DIALOG_HEIGHT_PX = 190;
const WINDOW_MARGIN_PX = 8;

/** The dialog under the side button (desktop), or in the floating row's place, inside the window (narrow screens). */
function dialogPlace(position: SelectionActionsPlacement): { top: number; left: number } {
  if (!position.floating) {
    return { top: position.top + 36, left: Math.max(WINDOW_MARGIN_PX, Math.min(position.left, window.innerWidth - DIALOG_WIDTH_PX - WINDOW_MARGIN_PX)) };
  }
  return {
    top: Math.max(WINDOW_MARGIN_PX, Math.min(position.top, window.innerHeight - DIALOG_HEIGHT_PX - WINDOW_MARGIN_PX)),
    left: Math.max(WINDOW_MARGIN_PX, (window.innerWidth - DIALOG_WIDTH_PX) / 2),
  };
}

/**
 * "Suggest edit" beside the selection (floating under it on narrow screens), for commenters: their page is
 * read-only (the sync node drops their edits), so the dialog sends the
 * proposed text to the review API, which writes the suggestion into the
 * document for them (SUGGEST7). It then reaches every page — this one too —
 * as a document update, drawn like any suggestion (struck + inserted text).
 * Editors and owners suggest by typing in Suggesting mode instead.
 */
export function SuggestEditAction({ editor, setup, position }: { editor: Editor | null; setup: SuggestEditSetup; position: SelectionActionsPlacement | null }) {
  const api = useMemo(() => new SuggestionsApi(setup.documentId, setup.accessToken), [setup.documentId, setup.accessToken]);
  const [open, setOpen] = useState<Open | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);

  if (setup.role !== 'commenter' || !editor) return null;

  const start = () => {
    if (!position || editor.isDestroyed) return;
    const { from, to } = editor.state.selection;
    const target = suggestEditTarget(editor.state, from, to);
    setOpen({ ...dialogPlace(position), target });
    setText(target.ok ? target.quote : '');
    setError('');
  };
  const close = () => {
    setOpen(null);
    setError('');
    if (!editor.isDestroyed) editor.commands.focus();
  };
  const submit = async () => {
    if (!open?.target.ok || sending) return;
    const proposed = normalizeSuggestedText(text);
    const problem = checkSuggestedText(open.target.quote, proposed);
    if (problem) return setError(problem);
    setSending(true);
    setError('');
    try {
      await api.create({ from: open.target.from, to: open.target.to, text: proposed });
      close();
    } catch (failure) {
      setError(suggestEditErrorMessage(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      {position && !open && (
        <button
          type="button"
          className="comment-button suggest-edit-button"
          data-testid="suggest-edit-button"
          style={position.floating ? undefined : { top: `${Math.max(0, position.top) + 36}px`, left: `${position.left}px` }}
          title="Suggest a change to the selected words"
          // Keep the selection: a mousedown on the button must not move it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={start}
        >
          ✎ Suggest edit
        </button>
      )}
      {open && (
        <form
          className="suggest-edit-dialog"
          role="dialog"
          aria-label="Suggest edit"
          data-testid="suggest-edit-dialog"
          style={{ top: `${Math.max(8, open.top)}px`, left: `${open.left}px`, width: `${DIALOG_WIDTH_PX}px` }}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          {open.target.ok ? (
            <>
              <p className="suggest-edit-dialog__quote">
                Replace <q data-testid="suggest-edit-quote">{open.target.quote}</q> with:
              </p>
              <textarea
                className="suggest-edit-dialog__text"
                data-testid="suggest-edit-text"
                aria-label="Suggested text (empty to suggest deleting the words)"
                rows={3}
                autoFocus
                value={text}
                disabled={sending}
                aria-invalid={error !== ''}
                aria-describedby={error ? 'suggest-edit-error' : undefined}
                onChange={(event) => {
                  setText(event.target.value);
                  setError('');
                }}
                onKeyDown={(event) => {
                  // One line of text: Enter sends (Shift+Enter too: a suggestion cannot hold a line break).
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    void submit();
                  }
                }}
              />
              <div className="suggest-edit-dialog__actions">
                <button type="submit" className="button button--primary" data-testid="suggest-edit-submit" disabled={sending}>
                  {sending ? 'Sending…' : text === '' ? 'Suggest deleting' : 'Suggest'}
                </button>
                <button type="button" className="button" data-testid="suggest-edit-cancel" onClick={close}>
                  Cancel
                </button>
              </div>
            </>
          ) : (
            <div className="suggest-edit-dialog__actions">
              <p className="suggest-edit-dialog__error" role="alert" data-testid="suggest-edit-error">
                {open.target.reason}
              </p>
              <button type="button" className="button" data-testid="suggest-edit-cancel" autoFocus onClick={close}>
                Close
              </button>
            </div>
          )}
          {error && (
            <p className="suggest-edit-dialog__error" id="suggest-edit-error" role="alert" data-testid="suggest-edit-error">
              {error}
            </p>
          )}
        </form>
      )}
    </>
  );
}
