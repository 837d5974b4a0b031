import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { z } from 'zod';
import { AuthError } from '@copycloud/auth-client';
import type { Logger } from '@copycloud/observability';
import { AuthServiceError } from './errors.js';

/** Parses the JSON body against `schema`; a clear 400 listing what was wrong otherwise. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AuthServiceError('invalid_body', 'request body is not valid JSON');
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new AuthServiceError('invalid_body', `invalid request body: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return result.data;
}

/** 413 for bodies over the limit, whether or not Content-Length is sent. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json({ error: 'payload_too_large', message: `request body is over ${maxBytes} bytes` }, 413),
  });
}

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
  if (error instanceof AuthServiceError) {
    if (error.details?.retryAfterSeconds) c.header('Retry-After', String(error.details.retryAfterSeconds));
    const body: Record<string, unknown> = { error: error.code, message: error.message };
    if (error.details?.issues) body['issues'] = error.details.issues;
    return c.json(body, error.status);
  }
  if (error instanceof AuthError) return c.json({ error: error.code, message: error.message }, error.status);
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
  return c.json({ error: 'internal', message: 'internal error' }, 500);
}
