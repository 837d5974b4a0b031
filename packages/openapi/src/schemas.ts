import { z } from '@hono/zod-openapi';
import type { SecurityRequirement } from './types.js';

/**
 * The shared error body every service answers with: `{ error, message }`.
 * Registered as the `Error` component: every error response refers to it.
 */
export const ERROR_SCHEMA_NAME = 'Error';
export const errorBodySchema = z
  .object({
    error: z.string().describe('machine-readable code, e.g. `not_found`, `invalid_request`'),
    message: z.string().describe('what was wrong, for people'),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('one entry per invalid field (request validation errors)'),
    retryAfterSeconds: z.number().int().optional().describe('with rate limits, also sent as `Retry-After`'),
  })
  .openapi(ERROR_SCHEMA_NAME);

/** Operations that need the bearer access token (the document default). */
export const BEARER_SECURITY_NAME = 'bearerAuth';
export const bearer: SecurityRequirement[] = [{ [BEARER_SECURITY_NAME]: [] }];
/** Operations that need no token. */
export const open: SecurityRequirement[] = [];

/** A JSON request body for `createRoute`, validated by `schema` (the service's own zod schema). */
export function jsonRequest<S extends z.ZodType>(schema: S, options: { description?: string; required?: boolean } = {}) {
  return {
    required: options.required ?? true,
    ...(options.description ? { description: options.description } : {}),
    content: { 'application/json': { schema } },
  };
}

/** A JSON response for `createRoute`; `schema` describes what the service sends. */
export function jsonResponse<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

/** An error response with the shared `{ error, message }` body (the `Error` component). */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } } };
}

/** The 401 of every route that needs the access token. */
export const unauthorized = errorResponse('missing, invalid or expired access token');

/**
 * The `{id}` of `/api/docs/{id}/…`: documented, not validated by the route —
 * the handlers answer a malformed id 404, like an unknown one.
 */
export const documentIdParam = z.string().openapi({ param: { name: 'id', in: 'path' }, description: 'document id', pattern: '^[A-Za-z0-9_-]{1,64}$' });
