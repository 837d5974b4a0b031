/**
 * Registers the offline shell worker (sw.js, emitted by the production build)
 * so a reload works while the server is unreachable. Not in dev: Vite serves
 * unbundled modules there and a cache would only get in the way.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // The app works without it; only reloads while offline need it.
    console.warn('offline support unavailable: service worker registration failed', error);
  });
}
