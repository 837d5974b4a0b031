import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { answerInvalidBody } from '@copycloud/http';

/**
 * A service's app whose routes are `app.openapi(route, handler)`: the route
 * definition (`createRoute`) validates the request (a body that does not match
 * is 400 `invalid_request` with `issues`, as everywhere) and is what the
 * service's part of the API document is derived from (`routesFragment`).
 */
export function createApiApp<E extends Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: (result, c) => answerInvalidBody(result, c) });
}
