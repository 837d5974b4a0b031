import type { AccessView } from './use-document-access.js';
import './sharing.css';

/** Says plainly why the page does not take typing: a read-only role, or access lost while open. */
export function AccessBanner({ access }: { access: AccessView }) {
  if (access.view !== 'open' || !access.readOnly) return null;
  if (access.lostAccess) {
    return (
      <div className="access-banner access-banner--lost" role="alert" data-testid="lost-access-banner">
        <span>
          <strong>You no longer have access to this document.</strong> Your copy stays on screen, but changes are not saved. Ask the owner for a
          new invite link.
        </span>
      </div>
    );
  }
  const what = access.role === 'commenter' ? 'a commenter' : 'a viewer';
  return (
    <div className="access-banner" role="status" data-testid="read-only-banner" data-role={access.role}>
      <span>
        <strong>Read only.</strong> You are {what}: you see every change live but cannot edit. Ask the owner for edit access.
      </span>
    </div>
  );
}
