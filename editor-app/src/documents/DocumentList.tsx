import { useEffect, useState } from 'react';
import { errorMessageOf } from '../account/error-message.js';
import { navigate } from '../routes/history.js';
import { documentPath } from '../routes/route.js';
import type { AuthSession } from '../session/auth-session.js';
import { deleteDocument, documentTitle, listDocuments, relativeTime, type DocumentSummary } from './documents-api.js';
import './documents.css';

type ListState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'loaded'; readonly documents: readonly DocumentSummary[] };

/** "My documents": every document the signed-in user is a member of, newest first. */
export function DocumentList({ session, userId }: { session: AuthSession; userId: string }) {
  const [state, setState] = useState<ListState>({ phase: 'loading' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: userId is not read here, but another account's list must be fetched anew
  useEffect(() => {
    let cancelled = false;
    setState({ phase: 'loading' });
    listDocuments(session).then(
      (documents) => !cancelled && setState({ phase: 'loaded', documents }),
      (error: unknown) => !cancelled && setState({ phase: 'failed', message: errorMessageOf(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [session, userId]);

  async function remove(documentId: string): Promise<void> {
    setDeleteError(null);
    try {
      await deleteDocument(session, documentId);
      setConfirming(null);
      setState((current) => (current.phase === 'loaded' ? { phase: 'loaded', documents: current.documents.filter((d) => d.id !== documentId) } : current));
    } catch (error) {
      setDeleteError(errorMessageOf(error));
    }
  }

  return (
    <section className="documents" aria-labelledby="documents-title" data-testid="document-list" data-state={state.phase}>
      <h2 id="documents-title" className="documents__title">
        My documents
      </h2>
      {state.phase === 'loading' && <p className="documents__empty">Loading…</p>}
      {state.phase === 'failed' && (
        <p className="form__error" role="alert">
          Your documents could not be loaded. {state.message}
        </p>
      )}
      {state.phase === 'loaded' && state.documents.length === 0 && (
        <p className="documents__empty" data-testid="document-list-empty">
          No documents yet. Start one, or open an invite link someone sent you.
        </p>
      )}
      {deleteError && (
        <p className="form__error" role="alert">
          {deleteError}
        </p>
      )}
      {state.phase === 'loaded' && state.documents.length > 0 && (
        <ul className="documents__list">
          {state.documents.map((doc) => (
            <li key={doc.id} className="documents__item" data-testid="document-item" data-document-id={doc.id} data-role={doc.role}>
              <a
                className="documents__open"
                href={documentPath(doc.id)}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(documentPath(doc.id));
                }}
              >
                <span className="documents__name" data-testid="document-item-title" data-title-source={doc.titleSource}>
                  {documentTitle(doc)}
                </span>
                <span className="documents__meta">
                  Edited {relativeTime(doc.updatedAt)}
                </span>
              </a>
              <span className="tag">{doc.role}</span>
              {doc.role === 'owner' &&
                (confirming === doc.id ? (
                  <span className="documents__confirm" role="group" aria-label="Confirm delete">
                    <span>Delete for everyone?</span>
                    <button type="button" className="button button--small button--danger" data-testid="document-delete-confirm" onClick={() => void remove(doc.id)}>
                      Delete
                    </button>
                    <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className="button button--small button--quiet documents__delete"
                    data-testid="document-delete"
                    aria-label={`Delete ${documentTitle(doc)}`}
                    onClick={() => setConfirming(doc.id)}
                  >
                    Delete
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
