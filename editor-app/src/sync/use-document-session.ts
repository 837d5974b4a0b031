import { useEffect, useState } from 'react';
import { openDocumentSession, type DocumentSession, type NetworkEvents, type OpenDocumentOptions } from './document-session.js';

/** The window's `online`/`offline` events and `navigator.onLine`. */
const browserNetwork: NetworkEvents | undefined =
  typeof window === 'undefined'
    ? undefined
    : {
        get onLine() {
          return navigator.onLine;
        },
        addEventListener: (type, listener) => window.addEventListener(type, listener),
        removeEventListener: (type, listener) => window.removeEventListener(type, listener),
      };

export type DocumentSessionState =
  | { readonly phase: 'opening' }
  | { readonly phase: 'open'; readonly session: DocumentSession }
  | { readonly phase: 'failed'; readonly error: Error };

/**
 * Opens the document for as long as the component is mounted. Opening is
 * async (IndexedDB first), so a session that finishes opening after unmount
 * (or after StrictMode's test unmount) is destroyed right away.
 */
export function useDocumentSession(options: OpenDocumentOptions): DocumentSessionState {
  const [state, setState] = useState<DocumentSessionState>({ phase: 'opening' });
  const { documentId, syncOrigin, token, storage } = options;

  useEffect(() => {
    let cancelled = false;
    let opened: DocumentSession | undefined;
    setState({ phase: 'opening' });
    openDocumentSession({ documentId, syncOrigin, token, storage, network: browserNetwork }).then(
      (session) => {
        if (cancelled) {
          session.destroy();
          return;
        }
        opened = session;
        setState({ phase: 'open', session });
      },
      (error: unknown) => {
        if (!cancelled) setState({ phase: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => {
      cancelled = true;
      opened?.destroy();
    };
  }, [documentId, syncOrigin, token, storage]);

  return state;
}
