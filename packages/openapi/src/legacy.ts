// Transitional: the hand-written helpers, until every service documents its routes with createRoute.
import { z } from 'zod';
import type { JsonSchema, Parameter, PathItem, RequestBody } from './types.js';
import { HTTP_METHODS } from './types.js';

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

export function jsonBody(schema: z.ZodType, options: { description?: string; required?: boolean } = {}): RequestBody {
  const body: RequestBody = {
    required: options.required ?? true,
    content: { 'application/json': { schema: jsonSchemaOf(schema, 'input') } },
  };
  if (options.description) body.description = options.description;
  return body;
}

export function pathParam(name: string, description: string, schema: z.ZodType | JsonSchema = { type: 'string' }): Parameter {
  return { name, in: 'path', required: true, description, schema: schema instanceof z.ZodType ? jsonSchemaOf(schema) : schema };
}

export function queryParam(name: string, description: string, schema: z.ZodType | JsonSchema, required = false): Parameter {
  return { name, in: 'query', required, description, schema: schema instanceof z.ZodType ? jsonSchemaOf(schema) : schema };
}

/** Hand-written paths with `jsonResponse(…, zodSchema)` responses: their zod schemas as JSON Schema. */
export function legacyPaths(paths: Record<string, PathItem>): Record<string, PathItem> {
  const out: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(paths)) {
    const copy: PathItem = {};
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = Object.fromEntries(
        Object.entries(op.responses).map(([status, response]) => [
          status,
          {
            ...response,
            ...(response.content
              ? {
                  content: Object.fromEntries(
                    Object.entries(response.content).map(([type, media]) => [
                      type,
                      { ...media, ...(media.schema instanceof z.ZodType ? { schema: jsonSchemaOf(media.schema, 'output') } : {}) },
                    ]),
                  ),
                }
              : {}),
          },
        ]),
      );
      copy[method] = { ...op, responses };
    }
    out[path] = copy;
  }
  return out;
}
