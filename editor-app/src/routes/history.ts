import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './route.js';

/**
 * Plain History API routing: two routes do not need a router library.
 * pushState does not fire popstate, so navigate() dispatches it itself and
 * every subscriber sees both in-app navigation and the back button.
 */
export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

function currentPathname(): string {
  return window.location.pathname;
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, currentPathname);
  return parseRoute(pathname);
}
