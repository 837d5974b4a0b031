import { z } from 'zod';
import type { JsonSchema, MediaType, Parameter, RequestBody, Response, SecurityRequirement } from './types.js';

/**
 * The JSON Schema of a zod schema, as OpenAPI 3.1 wants it (JSON Schema
 * 2020-12 is its dialect). Request bodies use the *input* side: what a client
 * may send, before defaults and transforms. Refinements that JSON Schema
 * cannot express (e.g. "required when kind is custom") are left out; say them
 * in the operation's description.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** The shared error body every service answers with: `{ error, message }`. */
export const ERROR_SCHEMA_NAME = 'Error';
export const errorBodySchema = z.object({
  error: z.string().describe('machine-readable code, e.g. `not_found`, `invalid_request`'),
  message: z.string().describe('what was wrong, for people'),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('one entry per invalid field (request validation errors)'),
  retryAfterSeconds: z.number().int().optional().describe('with rate limits, also sent as `Retry-After`'),
});

/** Operations that need the bearer access token (the document default). */
export const BEARER_SECURITY_NAME = 'bearerAuth';
export const bearer: SecurityRequirement[] = [{ [BEARER_SECURITY_NAME]: [] }];
/** Operations that need no token. */
export const open: SecurityRequirement[] = [];

export function jsonContent(schema: z.ZodType | JsonSchema, example?: unknown): Record<string, MediaType> {
  const media: MediaType = { schema: schema instanceof z.ZodType ? jsonSchemaOf(schema, 'output') : schema };
  if (example !== undefined) media.example = example;
  return { 'application/json': media };
}

/** A JSON request body validated by `schema` (the service's own zod schema). */
export function jsonBody(schema: z.ZodType, options: { description?: string; required?: boolean } = {}): RequestBody {
  const body: RequestBody = {
    required: options.required ?? true,
    content: { 'application/json': { schema: jsonSchemaOf(schema, 'input') } },
  };
  if (options.description) body.description = options.description;
  return body;
}

/** A JSON response; `schema` describes what the service sends (its output side). */
export function jsonResponse(description: string, schema?: z.ZodType | JsonSchema): Response {
  return schema ? { description, content: jsonContent(schema) } : { description };
}

/** An error response with the shared `{ error, message }` body. */
export function errorResponse(description: string): Response {
  return { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } } };
}

export function pathParam(name: string, description: string, schema: z.ZodType | JsonSchema = { type: 'string' }): Parameter {
  return { name, in: 'path', required: true, description, schema: schema instanceof z.ZodType ? jsonSchemaOf(schema) : schema };
}

export function queryParam(name: string, description: string, schema: z.ZodType | JsonSchema, required = false): Parameter {
  return { name, in: 'query', required, description, schema: schema instanceof z.ZodType ? jsonSchemaOf(schema) : schema };
}
