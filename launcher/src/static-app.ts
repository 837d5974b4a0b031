import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** Paths owned by services; never answered with the SPA's index.html. */
const SERVICE_PREFIXES = ['/api/', '/sync', '/yjs/', '/.well-known/', '/healthz', '/readyz', '/metrics'];
const isServicePath = (path: string) => SERVICE_PREFIXES.some((prefix) => path.startsWith(prefix));

/** Serves one file (or the request path) from `root` with a Cache-Control header. */
function serveFile(root: string, cache: string, path?: string): MiddlewareHandler {
  const serve = serveStatic(path ? { root, path } : { root });
  return async (c) => {
    // serveStatic calls next() when the file is missing; answer 404 ourselves.
    const res = await serve(c, async () => {});
    if (!(res instanceof Response)) return c.notFound();
    res.headers.set('Cache-Control', cache);
    return res;
  };
}

/**
 * Serves the built editor app (mount it after every service): hashed assets cached forever, index.html for
 * every client-side route (`/`, `/d/:id`), revalidated on each load.
 */
export function editorAppRoutes(distDir: string): Hono {
  const app = new Hono();
  if (!existsSync(join(distDir, 'index.html'))) {
    app.get('*', (c) =>
      c.text(`The editor app is not built (${distDir}/index.html is missing). Run "npm run build".`, 503),
    );
    return app;
  }
  const root = relative(process.cwd(), distDir) || '.';
  const asset = serveFile(root, 'public, max-age=31536000, immutable');
  const file = serveFile(root, 'no-cache');
  const spaShell = serveFile(root, 'no-cache', 'index.html');
  app.get('/assets/*', asset);
  app.get('*', async (c, next) => {
    // Mounted last: a service path that reached here matched no service route.
    if (isServicePath(c.req.path)) return c.json({ error: 'not_found', message: `no route for ${c.req.path}` }, 404);
    // A path with an extension is a file (favicon.svg); anything else is a client route.
    return /\.[a-z0-9]+$/i.test(c.req.path) ? file(c, next) : spaShell(c, next);
  });
  return app;
}
