import type { RouteConfig } from '@hono/zod-openapi';
import type { Tag, WebSocketEndpoint } from './types.js';

/**
 * What one service contributes to the API document: the route definitions
 * (`createRoute`) its app registers with `app.openapi(route, handler)`, its
 * tags, and prose or WebSocket endpoints that OpenAPI's path model cannot
 * describe.
 */
export interface ApiFragment {
  /** The service serving these paths (`auth`, `snapshots`, …); named in errors. */
  service: string;
  tags: Tag[];
  /** The same definitions the service's app registers: the document is derived from them. */
  routes: readonly RouteConfig[];
  /** Markdown appended to `info.description`. */
  description?: string;
  websockets?: WebSocketEndpoint[];
}

/** A service's part of the API document, from the route definitions its app registers. */
export function routesFragment(meta: Omit<ApiFragment, 'routes'>, routes: readonly RouteConfig[]): ApiFragment {
  return { ...meta, routes };
}
