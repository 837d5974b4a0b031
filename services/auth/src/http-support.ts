import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AuthError } from '@copycloud/auth-client';
import { bodyErrorResponse } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import { AuthServiceError } from './errors.js';

/** CORS only for the configured origins; with none configured, no CORS headers at all (same-origin). */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  if (origins.length === 0) return async (_c, next) => next();
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}

/** The client's IP, for rate limits. X-Forwarded-For only when a trusted proxy sets it. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by node (app.request in tests)
  }
}

export function errorResponse(c: Context, error: unknown, logger: Logger): Response {
  const refusedBody = bodyErrorResponse(c, error);
  if (refusedBody) return refusedBody;
  if (error instanceof AuthServiceError) {
    if (error.details?.retryAfterSeconds) c.header('Retry-After', String(error.details.retryAfterSeconds));
    const body: Record<string, unknown> = { error: error.code, message: error.message };
    return c.json(body, error.status);
  }
  if (error instanceof AuthError) return c.json({ error: error.code, message: error.message }, error.status);
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
  return c.json({ error: 'internal', message: 'internal error' }, 500);
}
