import { buildOpenApiDocument } from './build-document.js';
import type { ApiFragment } from './fragment.js';
import { opsFragment } from './ops-fragment.js';
import { API_REFERENCE_PATH, openApiFragment } from './routes.js';
import type { OpenApiDocument } from './types.js';

/** The API's version in `info.version`; bump it with breaking changes to the HTTP contracts. */
export const API_VERSION = '0.1.0';

const GENERAL_DESCRIPTION = `Copycloud's HTTP API: accounts and tokens (auth), documents and sharing (auth), version history and export (snapshots), AI suggestions (ai), and the probes every service serves. The human-readable form of this document is \`${API_REFERENCE_PATH}\`.

- Bodies are JSON unless said otherwise; request bodies are validated by the services' own schemas (the ones shown here) and unknown fields are refused where the schema is strict.
- Errors are \`{error, message}\` with a machine-readable \`error\` code and the HTTP status it maps to.
- Most routes need \`Authorization: Bearer <access token>\` (from login, signup, guest or refresh); the sync nodes take a separate document token instead.`;

/**
 * The document one process serves: the given service fragments plus the ops
 * routes and these docs routes, which every process mounts.
 */
export function serviceApiDocument(fragments: readonly ApiFragment[]): OpenApiDocument {
  return buildOpenApiDocument({ version: API_VERSION, description: GENERAL_DESCRIPTION, fragments: [...fragments, opsFragment, openApiFragment] });
}
