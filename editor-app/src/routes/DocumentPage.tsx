import type { AppServices } from '../app-services.js';
import { CollaborativeEditor } from '../editor/CollaborativeEditor.js';
import { HistoryButton } from '../history/HistoryButton.js';
import { PresenceList } from '../presence/PresenceList.js';
import type { DocumentSession } from '../sync/document-session.js';
import { SyncStatusBadge } from '../sync/SyncStatusBadge.js';
import { useDocumentSession } from '../sync/use-document-session.js';
import { useSyncStatus, useWarnBeforeUnload } from '../sync/use-sync-status.js';
import { navigate } from './history.js';
import { AccountMenu } from '../account/AccountMenu.js';
import { AccessBanner } from '../sharing/AccessBanner.js';
import { NoAccessPage } from '../sharing/NoAccessPage.js';
import { ShareButton } from '../sharing/ShareButton.js';
import { accessViewOf, useMembership } from '../sharing/use-document-access.js';
import { DocumentTitle } from '../documents/DocumentTitle.js';
import { canRename } from '../documents/title-edit.js';

export function DocumentPage({ documentId, services }: { documentId: string; services: AppServices }) {
  const state = useDocumentSession({
    documentId,
    syncOrigin: services.syncOrigin,
    token: services.syncToken,
    storage: services.durableStorage,
  });

  switch (state.phase) {
    case 'opening':
      return <p className="page-message">Opening document…</p>;
    case 'failed':
      return (
        <p className="page-message page-message--error" role="alert">
          This document could not be opened in this browser: {state.error.message}
        </p>
      );
    case 'open':
      return <OpenDocument key={state.session.documentId} session={state.session} services={services} />;
  }
}

function OpenDocument({ session, services }: { session: DocumentSession; services: AppServices }) {
  const status = useSyncStatus(session.syncStatus);
  useWarnBeforeUnload(status.pendingChanges > 0);
  // The API's role and the sync node's answer decide what this page shows.
  const access = accessViewOf(useMembership(services.session, session.documentId), status.access);
  if (access.view === 'checking') return <p className="page-message">Opening document…</p>;
  if (access.view === 'no-access') return <NoAccessPage session={services.session} />;

  return (
    <div className="document">
      <header className="document__header">
        <a
          className="document__brand"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          Copycloud
        </a>
        <DocumentTitle session={services.session} documentId={session.documentId} editable={canRename(access.role, access.readOnly)} />
        <span className="document__id" title="Document id">
          {session.documentId}
        </span>
        <div className="document__meta">
          <PresenceList provider={session.provider} />
          <SyncStatusBadge snapshot={status} />
          <HistoryButton documentId={session.documentId} ydoc={session.ydoc} session={services.session} />
          <ShareButton session={services.session} documentId={session.documentId} role={access.role} />
          <AccountMenu session={services.session} />
        </div>
      </header>
      <AccessBanner access={access} />
      <CollaborativeEditor
        session={session}
        user={services.session?.user ?? services.user}
        editable={!access.readOnly}
        // AI requests carry this user's access token (the sidecar checks their role on the document).
        aiAccessToken={services.session ? () => services.session!.accessToken() : undefined}
      />
    </div>
  );
}
