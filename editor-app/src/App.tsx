import type { AppServices } from './app-services.js';
import { DocumentPage } from './routes/DocumentPage.js';
import { HomePage } from './routes/HomePage.js';
import { navigate, useRoute } from './routes/history.js';
import { useAccountGeneration } from './account/use-session-user.js';
import { InvitePage } from './sharing/InvitePage.js';

export function App({ services }: { services: AppServices }) {
  const route = useRoute();
  // Signing in as someone else reopens the document as them (new token, new role).
  const account = useAccountGeneration(services.session);
  switch (route.name) {
    case 'home':
      return <HomePage services={services} />;
    case 'document':
      return <DocumentPage key={`${route.documentId}:${account}`} documentId={route.documentId} services={services} />;
    case 'invite':
      return <InvitePage token={route.token} session={services.session} />;
    case 'not-found':
      return (
        <main className="page-message">
          <p>Nothing at {route.path}.</p>
          <button type="button" className="button" onClick={() => navigate('/')}>
            Go home
          </button>
        </main>
      );
  }
}
