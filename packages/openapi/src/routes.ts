import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiFragment } from './fragment.js';
import { renderReferencePage } from './reference-page.js';
import { jsonResponse, open } from './schemas.js';
import type { OpenApiDocument } from './types.js';

/**
 * Where the document is served. DESIGN.md names `/api/docs`, but that path is
 * already the caller's documents list (`GET /api/docs`), so the spec lives
 * next to it instead.
 */
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const API_REFERENCE_PATH = '/api/reference';

/** No script, nothing from elsewhere: the page is self-contained HTML and inline CSS. */
const REFERENCE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /api/openapi.json` and `GET /api/reference` for one built document. */
export function openApiRoutes(document: OpenApiDocument): Hono {
  const json = JSON.stringify(document);
  let page: string | undefined;
  const app = new Hono();
  app.get(OPENAPI_JSON_PATH, (c) => c.body(json, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get(API_REFERENCE_PATH, (c) => {
    // Rendered on first request: processes that never serve it pay nothing.
    page ??= renderReferencePage(document, { specUrl: OPENAPI_JSON_PATH });
    return c.html(page, 200, { 'content-security-policy': REFERENCE_CSP, 'cache-control': 'no-cache' });
  });
  return app;
}

/** The two routes above, documented: every process that mounts them adds this fragment. */
export const openApiFragment: ApiFragment = {
  service: 'openapi',
  tags: [{ name: 'meta', description: 'This document and its reference page.' }],
  paths: {
    [OPENAPI_JSON_PATH]: {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This API as an OpenAPI 3.1 document',
        tags: ['meta'],
        security: open,
        responses: { '200': jsonResponse('the OpenAPI document', z.looseObject({ openapi: z.literal('3.1.0') })) },
      },
    },
    [API_REFERENCE_PATH]: {
      get: {
        operationId: 'getApiReference',
        summary: 'Human-readable API reference (self-contained HTML)',
        tags: ['meta'],
        security: open,
        responses: { '200': { description: 'the reference page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  },
};
