import { newDocumentId } from '@copycloud/protocol';
import { documentPath } from './route.js';
import { navigate } from './history.js';

export function HomePage() {
  return (
    <main className="home">
      <h1 className="home__title">Copycloud</h1>
      <p className="home__tagline">Write copy together — live, and even offline.</p>
      <button
        type="button"
        className="button button--primary"
        data-testid="new-document"
        onClick={() => navigate(documentPath(newDocumentId()))}
      >
        New document
      </button>
    </main>
  );
}
