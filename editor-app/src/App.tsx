import type { AppServices } from './app-services.js';
import { DocumentPage } from './routes/DocumentPage.js';
import { HomePage } from './routes/HomePage.js';
import { navigate, useRoute } from './routes/history.js';

export function App({ services }: { services: AppServices }) {
  const route = useRoute();
  switch (route.name) {
    case 'home':
      return <HomePage services={services} />;
    case 'document':
      return <DocumentPage key={route.documentId} documentId={route.documentId} services={services} />;
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
