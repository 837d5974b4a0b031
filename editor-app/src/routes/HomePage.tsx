import { useState } from 'react';
import { newDocumentId } from '@copycloud/protocol';
import type { AppServices } from '../app-services.js';
import { AccountMenu } from '../account/AccountMenu.js';
import { useSessionUser } from '../account/use-session-user.js';
import { DocumentList } from '../documents/DocumentList.js';
import { documentPath } from './route.js';
import { navigate } from './history.js';
import { ThemeToggle } from '../theme/ThemeToggle.js';
import { NotificationBell } from '../notifications/NotificationBell.js';

export function HomePage({ services }: { services?: AppServices }) {
  const [creating, setCreating] = useState(false);
  const { user } = useSessionUser(services?.session);
  async function create(): Promise<void> {
    setCreating(true);
    let id: string;
    try {
      // The auth API creates the document and makes this user its owner.
      id = services?.session ? await services.session.createDocument() : newDocumentId();
    } catch {
      // No auth API reachable (a node with AUTH_DISABLED=true creates documents on first open).
      id = newDocumentId();
    }
    navigate(documentPath(id));
  }
  return (
    <main className="home">
      <header className="home__bar">
        <ThemeToggle />
        {user && services?.notifications && <NotificationBell feed={services.notifications} />}
        <AccountMenu session={services?.session} />
      </header>
      <h1 className="home__title">Copycloud</h1>
      <p className="home__tagline">Write copy together — live, and even offline.</p>
      <button
        type="button"
        className="button button--primary"
        data-testid="new-document"
        disabled={creating}
        onClick={() => void create()}
      >
        New document
      </button>
      {services?.session && user && <DocumentList session={services.session} userId={user.id} />}
    </main>
  );
}
