import { useState } from 'react';
import type { AccessView } from './use-document-access.js';
import './sharing.css';

/**
 * Says plainly why the page does not take typing: a read-only role, a role
 * lowered while the page was open, a deleted document, or access lost. When
 * text typed here never reached the server, it is shown as an unsaved draft
 * that can be copied (and is sent if editing access comes back).
 */
export function AccessBanner({ access, draft }: { access: AccessView; draft: string }) {
  if (access.view !== 'open' || !access.readOnly) return null;
  if (access.deleted) {
    return (
      <Banner kind="lost" testId="deleted-banner" draft={draft}>
        <strong>This document was deleted by its owner.</strong> Your copy stays on screen until you leave, but nothing here is saved any more.
      </Banner>
    );
  }
  if (access.lostAccess) {
    return (
      <Banner kind="lost" testId="lost-access-banner" draft={draft}>
        <strong>You no longer have access to this document.</strong> Your copy stays on screen, but changes are not saved. Ask the owner for a new
        invite link.
      </Banner>
    );
  }
  const what = access.role === 'commenter' ? 'a commenter' : 'a viewer';
  if (access.demoted) {
    return (
      <Banner kind="info" testId="read-only-banner" role={access.role} draft={draft}>
        <strong>Your access changed: you are now {what}.</strong> You can no longer edit this document; you still see every change live.
      </Banner>
    );
  }
  return (
    <Banner kind="info" testId="read-only-banner" role={access.role} draft={draft}>
      <strong>Read only.</strong> You are {what}: you see every change live but cannot edit. Ask the owner for edit access.
    </Banner>
  );
}

function Banner({
  kind,
  testId,
  role,
  draft,
  children,
}: {
  kind: 'info' | 'lost';
  testId: string;
  role?: string | null;
  draft: string;
  children: React.ReactNode;
}) {
  return (
    <div
      className={`access-banner${kind === 'lost' ? ' access-banner--lost' : ''}`}
      role={kind === 'lost' ? 'alert' : 'status'}
      data-testid={testId}
      data-role={role ?? undefined}
    >
      <span>{children}</span>
      {draft !== '' && <UnsavedDraft draft={draft} />}
    </div>
  );
}

/** The words typed here that the server did not accept, to copy elsewhere. */
function UnsavedDraft({ draft }: { draft: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  return (
    <div className="unsaved-draft" data-testid="unsaved-draft">
      <span className="unsaved-draft__title">Your last changes were not saved. They are kept in this browser; copy them to keep them elsewhere:</span>
      <textarea className="unsaved-draft__text" data-testid="unsaved-draft-text" readOnly value={draft} rows={Math.min(6, draft.split('\n').length + 1)} />
      <button
        type="button"
        className="button"
        data-testid="unsaved-draft-copy"
        onClick={() =>
          navigator.clipboard.writeText(draft).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
      >
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select the text above to copy it' : 'Copy unsaved text'}
      </button>
    </div>
  );
}
