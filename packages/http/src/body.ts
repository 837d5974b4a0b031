import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import type { ApiErrorBody, ApiFieldIssue } from '@copycloud/protocol';

/** Largest JSON request body a route accepts unless it says otherwise, in bytes. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** 413 `payload_too_large`: what `limitBody` answers. */
export function payloadTooLarge(maxBytes: number): ApiErrorBody {
  return { error: 'payload_too_large', message: `request body is over the limit of ${maxBytes} bytes` };
}

/** 400 `invalid_request` listing every field that was wrong. */
export function invalidRequest(issues: readonly z.core.$ZodIssue[]): ApiErrorBody {
  const listed: ApiFieldIssue[] = issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
  return { error: 'invalid_request', message: `invalid request body: ${listed.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues: listed };
}

/**
 * Refuses a body over `maxBytes` with 413, whether or not Content-Length is
 * sent (a chunked body is cut off once it passes the limit), before any
 * handler or validator reads it.
 */
export function limitBody(maxBytes: number = MAX_JSON_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(payloadTooLarge(maxBytes), 413) });
}

/**
 * The validation hook of the routes (`createApiApp` in @copycloud/openapi): a
 * body that does not match its route's schema is answered 400 with the
 * problems; the handler never runs.
 */
export function answerInvalidBody(result: { success: true } | { success: false; error: z.core.$ZodError }, c: Context): Response | undefined {
  return result.success ? undefined : c.json(invalidRequest(result.error.issues), 400);
}

/**
 * For a service's `onError`, first: what the request validators throw, in the
 * one error shape — 400 for a body that is not JSON at all, 415 for a body
 * sent as something else than the route's JSON (an OpenAPI route checks the
 * Content-Type before it validates). Null for any other error.
 */
export function bodyErrorResponse(c: Context, error: unknown): Response | null {
  if (!(error instanceof HTTPException)) return null;
  if (error.status === 415) {
    const body: ApiErrorBody = { error: 'unsupported_media_type', message: 'send the request body as JSON (Content-Type: application/json)' };
    return c.json(body, 415);
  }
  if (error.status !== 400) return null;
  const body: ApiErrorBody = { error: 'invalid_request', message: /json/i.test(error.message) ? 'request body is not valid JSON' : error.message };
  return c.json(body, 400);
}
