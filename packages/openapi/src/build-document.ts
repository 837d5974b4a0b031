import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiFragment } from './fragment.js';
import { BEARER_SECURITY_NAME, ERROR_SCHEMA_NAME, errorBodySchema } from './schemas.js';
import type { OpenApiDocument, Tag } from './types.js';

export type OpenApiBuildErrorCode = 'duplicate_operation' | 'duplicate_operation_id' | 'conflicting_tag';

/** Two fragments claim the same thing: fixing one of them is the only way out. */
export class OpenApiBuildError extends Error {
  constructor(
    readonly code: OpenApiBuildErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OpenApiBuildError';
  }
}

export interface BuildOptions {
  title?: string;
  version: string;
  /** Markdown shown first in `info.description`; fragments' descriptions follow. */
  description?: string;
  fragments: readonly ApiFragment[];
}

/**
 * One OpenAPI 3.1 document from the fragments' route definitions, generated
 * by zod-openapi's generator (schemas straight from the services' zod
 * schemas). Throws when two fragments document the same method and path, or
 * reuse an operationId, so a merge can never silently drop an operation.
 */
export function buildOpenApiDocument(options: BuildOptions): OpenApiDocument {
  const tags = new Map<string, Tag>();
  const owners = new Map<string, string>();
  const operationIds = new Map<string, string>();
  for (const fragment of options.fragments) {
    for (const tag of fragment.tags) {
      const known = tags.get(tag.name);
      if (known && known.description !== tag.description) {
        throw new OpenApiBuildError('conflicting_tag', `tag ${tag.name} is described differently by two fragments (second: ${fragment.service})`);
      }
      tags.set(tag.name, tag);
    }
    for (const { method, path, operationId } of fragment.routes) {
      const key = `${method.toUpperCase()} ${path}`;
      const owner = owners.get(key);
      if (owner !== undefined) throw new OpenApiBuildError('duplicate_operation', `${key} is documented by both ${owner} and ${fragment.service}`);
      owners.set(key, fragment.service);
      if (operationId === undefined) continue;
      const idOwner = operationIds.get(operationId);
      if (idOwner !== undefined) throw new OpenApiBuildError('duplicate_operation_id', `operationId ${operationId} is used by ${idOwner} and by ${key} (${fragment.service})`);
      operationIds.set(operationId, `${key} (${fragment.service})`);
    }
  }

  const generator = new OpenAPIHono();
  const registry = generator.openAPIRegistry;
  registry.register(ERROR_SCHEMA_NAME, errorBodySchema);
  registry.registerComponent('securitySchemes', BEARER_SECURITY_NAME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from `POST /api/auth/login`, `/signup`, `/guest` or `/refresh` (`aud: copycloud`, at most 15 minutes).',
  });
  for (const fragment of options.fragments) {
    // The middleware runs in the app; it has no place in the document.
    for (const { middleware: _middleware, hide: _hide, ...route } of fragment.routes) registry.registerPath(route);
  }
  const descriptions = [options.description, ...options.fragments.map((f) => f.description)].filter((d): d is string => Boolean(d));
  const generated = generator.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: options.title ?? 'Copycloud HTTP API', version: options.version, ...(descriptions.length > 0 ? { description: descriptions.join('\n\n') } : {}) },
    tags: [...tags.values()],
    security: [{ [BEARER_SECURITY_NAME]: [] }],
  }) as unknown as OpenApiDocument;

  const document: OpenApiDocument = {
    ...generated,
    paths: Object.fromEntries(Object.entries(generated.paths).sort(([a], [b]) => a.localeCompare(b))),
  };
  const websockets = options.fragments.flatMap((f) => f.websockets ?? []);
  if (websockets.length > 0) document['x-websockets'] = websockets;
  return document;
}
