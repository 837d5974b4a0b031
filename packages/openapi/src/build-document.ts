import type { ApiFragment } from './fragment.js';
import { BEARER_SECURITY_NAME, ERROR_SCHEMA_NAME, errorBodySchema, jsonSchemaOf } from './schemas.js';
import { HTTP_METHODS, type OpenApiDocument, type Tag } from './types.js';

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
 * Merges service fragments into one OpenAPI 3.1 document. Throws when two
 * fragments document the same method and path, or reuse an operationId, so a
 * merge can never silently drop an operation.
 */
export function buildOpenApiDocument(options: BuildOptions): OpenApiDocument {
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: options.title ?? 'Copycloud HTTP API', version: options.version },
    tags: [],
    paths: {},
    components: {
      schemas: { [ERROR_SCHEMA_NAME]: jsonSchemaOf(errorBodySchema, 'output') },
      securitySchemes: {
        [BEARER_SECURITY_NAME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from `POST /api/auth/login`, `/signup`, `/guest` or `/refresh` (`aud: copycloud`, at most 15 minutes).',
        },
      },
    },
    security: [{ [BEARER_SECURITY_NAME]: [] }],
  };
  const tags = new Map<string, Tag>();
  const owners = new Map<string, string>();
  const operationIds = new Map<string, string>();
  const descriptions = options.description ? [options.description] : [];
  const websockets = [];

  for (const fragment of options.fragments) {
    for (const tag of fragment.tags) {
      const known = tags.get(tag.name);
      if (known && known.description !== tag.description) {
        throw new OpenApiBuildError('conflicting_tag', `tag ${tag.name} is described differently by two fragments (second: ${fragment.service})`);
      }
      tags.set(tag.name, tag);
    }
    for (const [path, item] of Object.entries(fragment.paths)) {
      const merged = (document.paths[path] ??= {});
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const key = `${method.toUpperCase()} ${path}`;
        const owner = owners.get(key);
        if (owner !== undefined) throw new OpenApiBuildError('duplicate_operation', `${key} is documented by both ${owner} and ${fragment.service}`);
        const idOwner = operationIds.get(operation.operationId);
        if (idOwner !== undefined) {
          throw new OpenApiBuildError('duplicate_operation_id', `operationId ${operation.operationId} is used by ${idOwner} and by ${key} (${fragment.service})`);
        }
        owners.set(key, fragment.service);
        operationIds.set(operation.operationId, `${key} (${fragment.service})`);
        merged[method] = operation;
      }
    }
    if (fragment.description) descriptions.push(fragment.description);
    websockets.push(...(fragment.websockets ?? []));
  }

  document.tags = [...tags.values()];
  document.paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)));
  if (descriptions.length > 0) document.info.description = descriptions.join('\n\n');
  if (websockets.length > 0) document['x-websockets'] = websockets;
  return document;
}
