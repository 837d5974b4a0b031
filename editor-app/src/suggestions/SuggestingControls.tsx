import { useEditorState, type Editor } from '@tiptap/react';
import { listSuggestions } from './review.js';
import { editingMode, reviewInEditor, switchEditingMode } from './suggesting-extension.js';
import './suggestions.css';

/**
 * The toolbar's Editing/Suggesting switch, and Accept all / Reject all while
 * the document holds suggestions (editors only: the toolbar is not shown to
 * anyone who cannot edit).
 */
export function SuggestingControls({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({ mode: editingMode(current), count: listSuggestions(current.state.doc).length }),
  });
  const suggesting = state.mode === 'suggesting';
  return (
    <div className="toolbar__group suggesting-controls" data-testid="suggesting-controls" data-mode={state.mode}>
      <div className="mode-switch" role="group" aria-label="Editing mode">
        <button
          type="button"
          className={suggesting ? 'mode-switch__option' : 'mode-switch__option mode-switch__option--active'}
          aria-pressed={!suggesting}
          data-testid="mode-editing"
          title="Editing: change the text directly"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => switchEditingMode(editor, 'editing')}
        >
          Editing
        </button>
        <button
          type="button"
          className={suggesting ? 'mode-switch__option mode-switch__option--active' : 'mode-switch__option'}
          aria-pressed={suggesting}
          data-testid="mode-suggesting"
          title="Suggesting: your edits become suggestions that others accept or reject"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => switchEditingMode(editor, 'suggesting')}
        >
          Suggesting
        </button>
      </div>
      {state.count > 0 && (
        <>
          <span className="suggesting-controls__count" data-testid="suggestion-count" data-count={state.count}>
            {state.count === 1 ? '1 suggestion' : `${state.count} suggestions`}
          </span>
          <button
            type="button"
            className="toolbar__button suggesting-controls__action"
            data-testid="accept-all-suggestions"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => reviewInEditor(editor, 'all', 'accept')}
          >
            Accept all
          </button>
          <button
            type="button"
            className="toolbar__button suggesting-controls__action"
            data-testid="reject-all-suggestions"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => reviewInEditor(editor, 'all', 'reject')}
          >
            Reject all
          </button>
        </>
      )}
    </div>
  );
}
