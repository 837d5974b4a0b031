import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { activeMentionQuery, filterCandidates, insertMention, pickerKey, type MentionCandidate } from './mention-picker.js';

/** A comment being written: the text as shown (`@Name`) and the members picked from the @ list. */
export interface MentionDraft {
  readonly text: string;
  readonly picked: readonly MentionCandidate[];
}

export const EMPTY_DRAFT: MentionDraft = { text: '', picked: [] };

type FieldElement = HTMLTextAreaElement | HTMLInputElement;

/**
 * A comment box (textarea, or a one-line input for replies) that offers the
 * document's members after `@`: filtered as you type, ↑/↓ to move, Enter or
 * Tab to pick, Escape to close, or a click. The field keeps the focus (the
 * list is `aria-activedescendant`'s listbox), so typing goes on.
 */
export function MentionTextField({
  multiline,
  draft,
  onChange,
  candidates,
  onKeyDown,
  testId,
  label,
  placeholder,
  maxLength,
  autoFocus,
  className,
}: {
  multiline: boolean;
  draft: MentionDraft;
  onChange(draft: MentionDraft): void;
  /** The members that may be mentioned (loaded on the first `@`). */
  candidates: () => Promise<readonly MentionCandidate[]>;
  /** Keys the list did not take (Ctrl+Enter to send, Escape to cancel…). */
  onKeyDown?: (event: KeyboardEvent<FieldElement>) => void;
  testId: string;
  label: string;
  placeholder?: string;
  maxLength?: number;
  autoFocus?: boolean;
  className?: string;
}) {
  const field = useRef<FieldElement>(null);
  const [caret, setCaret] = useState(draft.text.length);
  const [members, setMembers] = useState<readonly MentionCandidate[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The highlighted option, for the query it was chosen in (a new query starts at the top). */
  const [highlight, setHighlight] = useState<{ query: string; index: number }>({ query: '', index: 0 });
  /** The `@` whose list was closed (Escape, or a member picked): it stays closed until another `@`. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [focused, setFocused] = useState(Boolean(autoFocus));
  const [pendingCaret, setPendingCaret] = useState<number | null>(null);
  const listId = useId();

  const query = activeMentionQuery(draft.text, caret);
  const wanted = focused && query !== null && query.start !== dismissedAt;
  const matches = wanted && members ? filterCandidates(members, query.query) : [];
  const open = wanted && (members === null || matches.length > 0 || loadError !== null);
  const highlighted = query && highlight.query === query.query ? Math.min(highlight.index, Math.max(0, matches.length - 1)) : 0;
  const setHighlighted = (index: number) => setHighlight({ query: query?.query ?? '', index });

  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    candidates().then(
      (list) => {
        if (cancelled) return;
        setMembers(list);
        setLoadError(null);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
    };
    // Asked again each time a list opens (the directory caches), not on every keystroke of the query.
  }, [wanted, candidates]);

  // After picking, the caret goes after the inserted name (once React has written the new value).
  useLayoutEffect(() => {
    if (pendingCaret === null || !field.current) return;
    field.current.setSelectionRange(pendingCaret, pendingCaret);
    setCaret(pendingCaret);
    setPendingCaret(null);
  }, [pendingCaret]);

  const readCaret = () => setCaret(field.current?.selectionStart ?? draft.text.length);

  const choose = (candidate: MentionCandidate) => {
    if (!query) return;
    const next = insertMention(draft.text, query, candidate);
    onChange({ text: next.text, picked: draft.picked.some((p) => p.userId === candidate.userId) ? draft.picked : [...draft.picked, candidate] });
    // "@Alice Martin " still reads as a query for Alice: this `@` is done.
    setDismissedAt(query.start);
    setPendingCaret(next.caret);
    field.current?.focus();
  };

  const handleKeyDown = (event: KeyboardEvent<FieldElement>) => {
    if (open && !event.nativeEvent.isComposing) {
      const result = pickerKey(event.key, highlighted, matches.length);
      if (result.kind !== 'ignore') {
        event.preventDefault();
        // Escape closes the list only, never the draft around it.
        event.stopPropagation();
        if (result.kind === 'move') setHighlighted(result.highlighted);
        else if (result.kind === 'choose') choose(matches[result.index]!);
        else setDismissedAt(query?.start ?? null);
        return;
      }
    }
    onKeyDown?.(event);
  };

  const optionId = (index: number) => `${listId}-${index}`;
  const common = {
    ref: field as never,
    'data-testid': testId,
    className: className ?? 'comment-card__input',
    'aria-label': label,
    placeholder,
    value: draft.text,
    maxLength,
    autoFocus,
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open && matches.length > 0 ? optionId(highlighted) : undefined,
    onChange: (event: { target: FieldElement }) => {
      onChange({ text: event.target.value, picked: draft.picked });
      setCaret(event.target.selectionStart ?? event.target.value.length);
    },
    onSelect: readCaret,
    onClick: readCaret,
    onKeyUp: readCaret,
    onKeyDown: handleKeyDown,
    onBlur: () => setFocused(false),
    onFocus: () => setFocused(true),
  };

  return (
    <div className="mention-field">
      {multiline ? <textarea {...common} /> : <input {...common} />}
      {open && (
        <ul className="mention-field__list" id={listId} role="listbox" aria-label="People to mention" data-testid="mention-options">
          {loadError !== null ? (
            <li className="mention-field__note" role="option" aria-selected={false} aria-disabled={true}>
              Could not load the members: {loadError}
            </li>
          ) : members === null ? (
            <li className="mention-field__note" role="option" aria-selected={false} aria-disabled={true}>
              Loading members…
            </li>
          ) : (
            matches.map((candidate, index) => (
              <li
                key={candidate.userId}
                id={optionId(index)}
                role="option"
                aria-selected={index === highlighted}
                className="mention-field__option"
                data-testid="mention-option"
                data-user-id={candidate.userId}
                // mousedown, not click: the field must not lose the focus (and its caret) first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(candidate);
                }}
                onMouseEnter={() => setHighlighted(index)}
              >
                {candidate.name}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
