import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRoute, z } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import type { ApiFragment } from './fragment.js';
import { jsonResponse, open } from './schemas.js';
import type { OpenApiDocument } from './types.js';

/**
 * Where the document is served. DESIGN.md names `/api/docs`, but that path is
 * already the caller's documents list (`GET /api/docs`), so the spec lives
 * next to it instead.
 */
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const API_REFERENCE_PATH = '/api/reference';
/** Scalar's standalone bundle, served from node_modules: the page loads nothing from a CDN. */
export const API_REFERENCE_SCRIPT_PATH = '/api/reference/scalar.js';

/**
 * The single-file (UMD) browser build of @scalar/api-reference. The package
 * does not export it, so it is found next to its entry point.
 */
export function referenceScriptFile(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))), 'browser', 'standalone.js');
}

/**
 * Only this origin, and only the two scripts of the page (its bundle and the
 * nonce-carrying inline call that starts it). Styles are injected by the
 * bundle at run time, hence `'unsafe-inline'` for styles only.
 */
function referencePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `GET /api/openapi.json`, `GET /api/reference` (Scalar) and its script, for one built document. */
export function openApiRoutes(document: OpenApiDocument): Hono {
  const json = JSON.stringify(document);
  let script: Promise<Buffer> | undefined;
  const app = new Hono();
  app.get(OPENAPI_JSON_PATH, (c) => c.body(json, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get(API_REFERENCE_SCRIPT_PATH, async (c) => {
    // Read on first request (about 5 MB): processes that never serve it pay nothing.
    script ??= readFile(referenceScriptFile());
    return c.body(new Uint8Array(await script), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
  });
  app.get(
    API_REFERENCE_PATH,
    Scalar((c) => {
      const nonce = randomBytes(16).toString('base64');
      c.header('content-security-policy', referencePolicy(nonce));
      c.header('cache-control', 'no-cache');
      return {
        url: OPENAPI_JSON_PATH,
        cdn: API_REFERENCE_SCRIPT_PATH,
        nonce,
        pageTitle: `${document.info.title} reference`,
        // Offline: no web fonts from Scalar's servers, no telemetry, no hosted client or AI agent.
        withDefaultFonts: false,
        telemetry: false,
        hideClientButton: true,
        agent: { disabled: true },
        showDeveloperTools: 'never',
      };
    }),
  );
  return app;
}

const tags = ['meta'];

/** The routes above, documented: every process that mounts them adds this fragment. */
export const openApiFragment: ApiFragment = {
  service: 'openapi',
  tags: [{ name: 'meta', description: 'This document and its reference page.' }],
  routes: [
    createRoute({
      method: 'get',
      path: OPENAPI_JSON_PATH,
      operationId: 'getOpenApiDocument',
      summary: 'This API as an OpenAPI 3.1 document',
      tags,
      security: open,
      responses: { 200: jsonResponse('the OpenAPI document', z.looseObject({ openapi: z.literal('3.1.0') })) },
    }),
    createRoute({
      method: 'get',
      path: API_REFERENCE_PATH,
      operationId: 'getApiReference',
      summary: 'Interactive API reference (Scalar), rendered in the browser from this document',
      tags,
      security: open,
      responses: { 200: { description: 'the reference page', content: { 'text/html': { schema: z.string() } } } },
    }),
    createRoute({
      method: 'get',
      path: API_REFERENCE_SCRIPT_PATH,
      operationId: 'getApiReferenceScript',
      summary: "The reference page's script (Scalar's standalone bundle, served by this process)",
      tags,
      security: open,
      responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
    }),
  ],
};
