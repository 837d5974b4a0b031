import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { answerInvalidBody } from '@copycloud/http';
import type { ApiFragment } from './fragment.js';
import type { PathItem } from './types.js';

/**
 * A service's app whose routes are `app.openapi(route, handler)`: the route
 * definition (`createRoute`) validates the request (a body that does not match
 * is 400 `invalid_request` with `issues`, as everywhere) and is what the
 * service's part of the API document is derived from (`routesFragment`).
 */
export function createApiApp<E extends Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: (result, c) => answerInvalidBody(result, c) });
}

/**
 * A service's part of the API document, derived from the same route
 * definitions its app registers (no handler needed: the document can be
 * built without starting the service).
 */
export function routesFragment(meta: Omit<ApiFragment, 'paths'>, routes: readonly RouteConfig[]): ApiFragment {
  const app = new OpenAPIHono();
  for (const { middleware: _middleware, hide: _hide, ...route } of routes) app.openAPIRegistry.registerPath(route);
  const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: meta.service, version: '0' } });
  return { ...meta, paths: (document.paths ?? {}) as Record<string, PathItem> };
}
