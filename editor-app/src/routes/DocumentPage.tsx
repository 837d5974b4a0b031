import { useSyncExternalStore } from 'react';
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
import { HeaderMenu } from '../layout/HeaderMenu.js';
import { ExportMenu } from '../export/ExportMenu.js';
import { NotificationBell } from '../notifications/NotificationBell.js';
import { listMembers } from '../sharing/sharing-api.js';

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
  const pushedTitle = useSyncExternalStore(session.notices.subscribe, session.notices.getTitle);
  useWarnBeforeUnload(status.pendingChanges > 0);
  // The API's role (or the cached one, offline) and what the sync node says decide what this page shows.
  const membership = useMembership(services.session, session.documentId, services.documentCache);
  const access = accessViewOf(membership, status);
  if (access.view === 'checking') return <p className="page-message">Opening document…</p>;
  if (access.view === 'no-access') return <NoAccessPage session={services.session} />;
  // Read-only with changes the server never took: they are a draft to keep.
  const draft = access.readOnly && status.pendingChanges > 0 ? session.unsavedDraft() : '';
  const knownTitle = membership.kind === 'member' && membership.summary ? membership.summary.title : null;

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
        <DocumentTitle
          session={services.session}
          documentId={session.documentId}
          editable={canRename(access.role, access.readOnly)}
          knownTitle={knownTitle}
          pushedTitle={pushedTitle}
          onTitle={(title) => {
            const cached = services.documentCache?.get(session.documentId);
            if (cached && cached.title !== title) services.documentCache?.set({ ...cached, title });
          }}
        />
        <div className="document__meta">
          <PresenceList provider={session.provider} />
          <SyncStatusBadge snapshot={status} />
          {/* Outside the menu: the count stays in sight on phones too. */}
          {services.session && services.notifications && <NotificationBell feed={services.notifications} />}
          <HeaderMenu>
            {services.session && <ExportMenu documentId={session.documentId} accessToken={() => services.session!.accessToken()} />}
            <HistoryButton documentId={session.documentId} ydoc={session.ydoc} session={services.session} />
            <ShareButton session={services.session} documentId={session.documentId} role={access.role} />
            <AccountMenu session={services.session} />
          </HeaderMenu>
        </div>
      </header>
      <AccessBanner access={access} draft={draft} />
      <CollaborativeEditor
        session={session}
        user={services.session?.user ?? services.user}
        editable={!access.readOnly}
        // AI requests carry this user's access token (the sidecar checks their role on the document).
        aiAccessToken={services.session ? () => services.session!.accessToken() : undefined}
        // Images are uploaded and read through the files API with the same token (role checked per request).
        filesAccessToken={services.session ? () => services.session!.accessToken() : undefined}
        // Comments go through the review API with this user's token; the panel offers what their role allows.
        comments={
          services.session
            ? {
                documentId: session.documentId,
                role: access.role,
                userId: services.session.user?.id ?? null,
                accessToken: () => services.session!.accessToken(),
                // @mentions offer the document's members (the list the Share dialog shows).
                listMembers: () => listMembers(services.session!, session.documentId),
                // A thread opened here (from a notification or in the panel) reads its notifications.
                onThreadViewed: (threadId: string) => void services.notifications?.markThreadRead(session.documentId, threadId).catch((error: unknown) => console.warn('could not mark notifications read', error)),
              }
            : undefined
        }
      />
    </div>
  );
}
