import { useEditorState, type Editor } from '@tiptap/react';
import { authorColor } from './author-color.js';
import { suggestionAtSelection } from './review.js';
import { reviewInEditor } from './suggesting-extension.js';
import './suggestions.css';

/** "12 Jan, 14:05" in the reader's locale; the raw value when it is not a time. */
function describeTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function describe(inserted: string, deleted: string): string {
  const quote = (text: string) => `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;
  if (inserted && deleted) return `Replace ${quote(deleted)} with ${quote(inserted)}`;
  if (inserted) return `Add ${quote(inserted)}`;
  return `Delete ${quote(deleted)}`;
}

/**
 * A small card under the suggestion the cursor is in: who, when, what, and
 * Accept / Reject. Positioned from the editor's coordinates, inside the
 * editor column (`.editor` is its offset parent).
 */
export function SuggestionPopover({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      if (!current.isEditable || !current.isFocused) return null;
      const suggestion = suggestionAtSelection(current.state);
      if (!suggestion) return null;
      const anchor = current.view.coordsAtPos(suggestion.from);
      const box = (current.view.dom.closest('.editor') ?? current.view.dom).getBoundingClientRect();
      return { suggestion, left: anchor.left - box.left, top: anchor.bottom - box.top + 6 };
    },
    equalityFn: (a, b) =>
      a === b || (a !== null && b !== null && a.suggestion.id === b.suggestion.id && a.left === b.left && a.top === b.top && a.suggestion.inserted === b.suggestion.inserted && a.suggestion.deleted === b.suggestion.deleted),
  });
  if (!state) return null;
  const { suggestion } = state;
  return (
    <div
      className="suggestion-popover"
      role="dialog"
      aria-label="Suggestion"
      data-testid="suggestion-popover"
      data-suggestion-id={suggestion.id}
      style={{ left: state.left, top: state.top, borderTopColor: authorColor(suggestion.authorId) }}
      // Clicking the card must not take the cursor out of the suggestion.
      onMouseDown={(event) => event.preventDefault()}
    >
      <div className="suggestion-popover__who">
        <strong>{suggestion.authorName || 'Someone'}</strong> <time dateTime={suggestion.time}>{describeTime(suggestion.time)}</time>
      </div>
      <div className="suggestion-popover__what">{describe(suggestion.inserted, suggestion.deleted)}</div>
      <div className="suggestion-popover__actions">
        <button type="button" className="button button--primary" data-testid="suggestion-accept" onClick={() => reviewInEditor(editor, new Set([suggestion.id]), 'accept')}>
          Accept
        </button>
        <button type="button" className="button" data-testid="suggestion-reject" onClick={() => reviewInEditor(editor, new Set([suggestion.id]), 'reject')}>
          Reject
        </button>
      </div>
    </div>
  );
}
