import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** Paths owned by services; never answered with the SPA's index.html. */
const SERVICE_PREFIXES = ['/api/', '/sync', '/yjs/', '/.well-known/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built editor app: hashed assets cached forever, index.html for
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
  app.use(
    '/assets/*',
    serveStatic({ root, onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }),
  );
  app.use('*', async (c, next) => {
    if (SERVICE_PREFIXES.some((p) => c.req.path.startsWith(p))) return next();
    return serveStatic({ root, onFound: (_path, c2) => c2.header('Cache-Control', 'no-cache') })(c, next);
  });
  app.get('*', async (c, next) => {
    if (SERVICE_PREFIXES.some((p) => c.req.path.startsWith(p))) return next();
    c.header('Cache-Control', 'no-cache');
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
  return app;
}
