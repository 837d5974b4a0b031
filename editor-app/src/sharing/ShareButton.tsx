import { useState } from 'react';
import { roleAtLeastEditor } from './roles.js';
import type { DocumentRole } from '../documents/documents-api.js';
import type { AuthSession } from '../session/auth-session.js';
import { ShareDialog } from './ShareDialog.js';

/** The header's "Share" button: editors and owners invite people; others see nothing to click. */
export function ShareButton({ session, documentId, role }: { session: AuthSession | undefined; documentId: string; role: DocumentRole | null }) {
  const [open, setOpen] = useState(false);
  if (!session || role === null || !roleAtLeastEditor(role)) return null;
  return (
    <>
      <button type="button" className="button button--primary" data-testid="share-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Share
      </button>
      {open && <ShareDialog session={session} documentId={documentId} role={role} onClose={() => setOpen(false)} />}
    </>
  );
}
