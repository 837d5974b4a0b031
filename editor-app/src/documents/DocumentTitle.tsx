import { useEffect, useRef, useState } from 'react';
import { errorMessageOf } from '../account/error-message.js';
import type { AuthSession } from '../session/auth-session.js';
import { documentTitle, renameDocument } from './documents-api.js';
import { tabTitle, titleEditOf, TITLE_MAX_CHARS } from './title-edit.js';
import './documents.css';

type SaveState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'saving' }
  | { readonly phase: 'failed'; readonly message: string };

/**
 * The document's name in the header: an inline field for editors and owners
 * (saved on Enter or when leaving it; Escape puts the old name back), plain
 * text for everyone else. The browser tab shows it too.
 */
export function DocumentTitle({
  session,
  documentId,
  editable,
  knownTitle,
  pushedTitle,
  onTitle,
}: {
  session: AuthSession | undefined;
  documentId: string;
  editable: boolean;
  /** The API's answer (or the cached one, offline); null = not known yet. */
  knownTitle: string | null;
  /** A rename someone made while the page is open, pushed by the sync node. */
  pushedTitle: string | null;
  /** Called with every name this header learns (own rename, pushed rename), e.g. to cache it. */
  onTitle?: (title: string) => void;
}) {
  const [title, setTitle] = useState<string | null>(knownTitle);
  const [draft, setDraft] = useState(knownTitle ?? '');
  const [save, setSave] = useState<SaveState>({ phase: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  // Escape reverts; the blur that follows must not save the reverted draft again.
  const skipNextBlur = useRef(false);
  const editing = useRef(false);

  // A newer answer from the API, or a rename pushed live: show it unless the user is typing a name.
  // biome-ignore lint/correctness/useExhaustiveDependencies: onTitle is a notification, not an input; a new callback must not re-announce the same title
  useEffect(() => {
    for (const next of [knownTitle, pushedTitle]) {
      if (next === null) continue;
      setTitle(next);
      onTitle?.(next);
      if (!editing.current) setDraft(next);
    }
  }, [knownTitle, pushedTitle]);

  const display = title === null ? null : documentTitle({ title });
  useEffect(() => {
    if (display === null) return;
    const previous = window.document.title;
    window.document.title = tabTitle(display);
    return () => {
      window.document.title = previous;
    };
  }, [display]);

  if (!session || title === null) return null;

  async function commit(): Promise<void> {
    const edit = titleEditOf(draft, title ?? '');
    switch (edit.kind) {
      case 'unchanged':
        setDraft(title ?? '');
        setSave({ phase: 'idle' });
        return;
      case 'invalid':
        setSave({ phase: 'failed', message: edit.message });
        return;
      case 'save':
        setSave({ phase: 'saving' });
        try {
          const document = await renameDocument(session!, documentId, edit.title);
          setTitle(document.title);
          onTitle?.(document.title);
          setDraft(document.title);
          setSave({ phase: 'idle' });
        } catch (error) {
          setSave({ phase: 'failed', message: `The title was not saved. ${errorMessageOf(error)}` });
        }
        return;
      default: {
        const unreachable: never = edit;
        throw new Error(`unknown title edit ${JSON.stringify(unreachable)}`);
      }
    }
  }

  if (!editable) {
    return (
      <h1 className="document-title document-title--readonly" data-testid="document-title" data-title={title} data-empty={title.trim() === ''}>
        {display}
      </h1>
    );
  }

  return (
    <span className="document-title__field">
      <input
        ref={input}
        className="document-title"
        data-testid="document-title"
        data-state={save.phase}
        aria-label="Document title"
        aria-invalid={save.phase === 'failed'}
        aria-describedby={save.phase === 'failed' ? 'document-title-error' : undefined}
        placeholder="Untitled document"
        maxLength={TITLE_MAX_CHARS + 50}
        value={draft}
        disabled={save.phase === 'saving'}
        data-title={title}
        onFocus={() => (editing.current = true)}
        onChange={(event) => {
          setDraft(event.target.value);
          if (save.phase === 'failed') setSave({ phase: 'idle' });
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            input.current?.blur();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            skipNextBlur.current = true;
            setDraft(title);
            setSave({ phase: 'idle' });
            input.current?.blur();
          }
        }}
        onBlur={() => {
          editing.current = false;
          if (skipNextBlur.current) {
            skipNextBlur.current = false;
            return;
          }
          void commit();
        }}
      />
      {save.phase === 'failed' && (
        <span id="document-title-error" className="document-title__error" role="alert" data-testid="document-title-error">
          {save.message}
        </span>
      )}
    </span>
  );
}
