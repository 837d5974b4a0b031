import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import type { AuthSession } from '../session/auth-session.js';
import { HistoryPanel } from './HistoryPanel.js';
import './history.css';

/** The header's "History" button and, when open, the history panel. Hidden without a signed-in session. */
export function HistoryButton({ documentId, ydoc, session }: { documentId: string; ydoc: Y.Doc; session: AuthSession | undefined }) {
  const [open, setOpen] = useState(false);
  const accessToken = useCallback(() => session!.accessToken(), [session]);
  if (!session) return null;
  return (
    <>
      <button type="button" className="button" data-testid="history-button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        History
      </button>
      {open && (
        // The server enforces roles; a viewer's restore or save gets a clear 403 message.
        <HistoryPanel documentId={documentId} ydoc={ydoc} accessToken={accessToken} canEdit onClose={() => setOpen(false)} />
      )}
    </>
  );
}
