/**
 * Copycloud offline shell. Local-first means a reload must work with the
 * server unreachable: the document itself comes from IndexedDB, but the
 * browser first needs index.html and the bundles. This worker precaches the
 * exact files of this build (the list is injected by offline-shell-plugin) and
 * serves them when the network fails. Sync, API and health traffic is never
 * touched.
 */
const PRECACHE_URLS = __PRECACHE_URLS__;
const CACHE_NAME = 'copycloud-shell-' + __BUILD_ID__;
const SHELL_URL = '/index.html';
const NEVER_CACHED_PREFIXES = ['/sync', '/yjs/', '/api/', '/healthz', '/readyz', '/metrics', '/.well-known/'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.addAll(PRECACHE_URLS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith('copycloud-shell-') && name !== CACHE_NAME).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER_CACHED_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === 'navigate') {
    // Network first so a deploy is picked up at once; every route is the SPA
    // shell, so offline any navigation gets the cached index.html.
    event.respondWith(fetch(request).catch(() => caches.match(SHELL_URL).then((cached) => cached ?? Response.error())));
    return;
  }
  // Bundles are content-hashed: the cached copy is always right.
  event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
});
