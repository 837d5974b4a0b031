import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup, type Role } from '@copycloud/auth-client';
import { isValidDocumentId } from '@copycloud/protocol';
import { InvalidContentError } from '@copycloud/schema';
import { bodyErrorResponse, limitBody } from '@copycloud/http';
import { bearer, createApiApp, documentIdParam as documentId, errorResponse, jsonRequest, jsonResponse, routesFragment, unauthorized, type ApiFragment } from '@copycloud/openapi';
import type { Logger } from '@copycloud/observability';
import { SnapshotsError } from './errors.js';
import type { History } from './history.js';
import { VERSION_ID_PATTERN, VERSION_NAME_MAX_CHARS, type VersionSummary } from './version-store.js';
import { DOWNLOAD_FORMATS, contentDisposition, isDownloadFormat, type Download, type Exporter } from './export/exporter.js';

/** Largest JSON body accepted on POST routes (a version name). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** `POST /api/docs/:id/versions`: a named version. */
export const namedVersionBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(VERSION_NAME_MAX_CHARS, `at most ${VERSION_NAME_MAX_CHARS} characters`),
});

type Env = { Variables: AuthVariables };

const versionSchema = z.object({
  id: z.string().describe('opaque (decimal string)'),
  documentId: z.string(),
  kind: z.enum(['auto', 'named', 'restore']),
  name: z.string().nullable(),
  author: z.object({ userId: z.string(), name: z.string() }).nullable().describe('null for automatic versions'),
  createdAt: z.iso.datetime(),
}) satisfies z.ZodType<VersionSummary>;

const versionWithContent = z.object({
  version: versionSchema,
  content: z.looseObject({ type: z.literal('doc') }).describe('Tiptap/ProseMirror JSON: `{type: "doc", content: [...]}`'),
});

// Path and query parameters are documented, not validated by the route: a
// malformed id is a 404 like an unknown one, a bad `format` a 400 from the handler.
const versionId = z.string().openapi({ param: { name: 'vid', in: 'path' }, description: 'version id', pattern: VERSION_ID_PATTERN.source });
const formatQuery = (description: string, formats: readonly string[], fallback: string) =>
  z.string().optional().openapi({ param: { name: 'format', in: 'query' }, description, enum: [...formats], default: fallback });
const forbidden = errorResponse("the caller's role is too low (`forbidden`)");
const notFound = errorResponse('no such document (or no role on it), or no such version of it (`document_not_found`, `version_not_found`, `not_found`)');
const badRequest = errorResponse('invalid body (with `issues`) or `format` (`invalid_request`)');
const tooLarge = errorResponse(`body over ${MAX_REQUEST_BODY_BYTES} bytes (\`payload_too_large\`)`);
const corrupt = errorResponse('stored content does not decode (`document_corrupt`)');
const binary = (type: string) => ({ schema: { type: 'string' as const, contentMediaType: type } });
const DOWNLOAD_CONTENT = {
  'text/html': { schema: z.string() },
  'text/markdown': { schema: z.string() },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': binary('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
  'application/pdf': binary('application/pdf'),
};
const filesUnavailable = errorResponse('DOCX/PDF only: the file store holding the images cannot be reached (`files_unavailable`)');
const tags = ['versions'];
const onDocument = { params: z.object({ id: documentId }) };
const onVersion = { params: z.object({ id: documentId, vid: versionId }) };

const listVersionsRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/versions',
  operationId: 'listVersions',
  summary: "A document's versions, newest first",
  tags,
  security: bearer,
  request: onDocument,
  responses: { 200: jsonResponse('versions', z.object({ versions: z.array(versionSchema) })), 401: unauthorized, 404: notFound },
});

const createNamedVersionRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/versions',
  operationId: 'createNamedVersion',
  summary: 'Name the current state as a version (editor)',
  tags,
  security: bearer,
  request: { ...onDocument, body: jsonRequest(namedVersionBody, { description: `at most ${MAX_REQUEST_BODY_BYTES} bytes` }) },
  responses: { 201: jsonResponse('created', z.object({ version: versionSchema })), 400: badRequest, 401: unauthorized, 403: forbidden, 404: notFound, 413: tooLarge, 500: corrupt },
});

const getVersionRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/versions/{vid}',
  operationId: 'getVersion',
  summary: 'One version: its content as Tiptap JSON, or exported as Markdown, HTML, DOCX or PDF',
  tags,
  security: bearer,
  request: { ...onVersion, query: z.object({ format: formatQuery('json (default), md, html, docx or pdf', ['json', ...DOWNLOAD_FORMATS], 'json') }) },
  responses: {
    200: {
      description: 'with `format=json`: the version and its ProseMirror/Tiptap JSON content; otherwise a download named `{title} (version {vid}).{ext}`',
      content: { 'application/json': { schema: versionWithContent }, ...DOWNLOAD_CONTENT },
    },
    400: badRequest,
    401: unauthorized,
    404: notFound,
    500: corrupt,
    503: filesUnavailable,
  },
});

const restoreVersionRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/versions/{vid}/restore',
  operationId: 'restoreVersion',
  summary: 'Restore a version (editor): applied as a new change every collaborator receives live, and recorded as a `restore` version',
  tags,
  security: bearer,
  request: onVersion,
  responses: {
    200: jsonResponse('restored', z.object({ version: versionSchema.describe('the new `restore` version'), restoredFrom: z.string().describe('the version id restored') })),
    401: unauthorized,
    403: forbidden,
    404: notFound,
    500: corrupt,
  },
});

const exportDocumentRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/export',
  operationId: 'exportDocument',
  summary: 'The current document exported as Markdown, HTML, DOCX or PDF',
  tags,
  security: bearer,
  request: {
    ...onDocument,
    query: z.object({
      format: formatQuery('md (default), html, docx or pdf', DOWNLOAD_FORMATS, 'md'),
      comments: z
        .string()
        .optional()
        .openapi({
          param: { name: 'comments', in: 'query' },
          description: 'true: the comment threads follow the text as a numbered appendix (quote, each comment with author and time, resolved/detached); md and html only (400 otherwise)',
          enum: ['true', 'false'],
          default: 'false',
        }),
    }),
  },
  responses: {
    200: {
      description: `the document as a download named after the document's title (\`Content-Disposition: attachment; filename="…"; filename*=UTF-8''…\`). DOCX and PDF embed the document's own images (PDF: PNG and JPEG; DOCX: PNG, JPEG and GIF; others as their alt text) and its tables.`,
      content: DOWNLOAD_CONTENT,
    },
    400: badRequest,
    401: unauthorized,
    404: notFound,
    500: corrupt,
    503: filesUnavailable,
  },
});

/** Every route of the snapshots service (`createSnapshotsService().app`), documented from the definitions the app registers. */
export const snapshotsApiFragment: ApiFragment = routesFragment(
  {
    service: 'snapshots',
    tags: [
      {
        name: 'versions',
        description: 'Version history (automatic after a pause in editing, named, restores), restore and export. Reading needs any role, writing needs `editor`.',
      },
    ],
  },
  [listVersionsRoute, createNamedVersionRoute, getVersionRoute, restoreVersionRoute, exportDocumentRoute],
);

/**
 * `/api/docs/:id/versions…` and `/api/docs/:id/export`. Every route needs a
 * bearer access token; reading needs `viewer`, writing (`POST`) needs `editor`.
 */
export function snapshotsRoutes(deps: { history: History; exporter: Exporter; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { history, exporter, roles, logger } = deps;
  const app = createApiApp<Env>();
  app.use('/api/docs/:id/versions', requireUser(deps.verifier));
  app.use('/api/docs/:id/versions/*', requireUser(deps.verifier));
  app.use('/api/docs/:id/export', requireUser(deps.verifier));

  async function authorize(c: Context<Env>, role: Role): Promise<string> {
    const documentId = c.req.param('id') ?? '';
    if (!isValidDocumentId(documentId)) throw new SnapshotsError('document_not_found', `document ${documentId.slice(0, 80)} not found`, 404);
    await assertDocumentRole(roles, documentId, c.var.identity, role);
    return documentId;
  }

  function author(c: Context<Env>) {
    return { userId: c.var.identity.userId, name: c.var.identity.name };
  }

  function format(c: Context<Env>, allowed: readonly string[], fallback: string): string {
    const value = c.req.query('format') ?? fallback;
    if (!allowed.includes(value)) throw new SnapshotsError('invalid_request', `format must be one of ${allowed.join(', ')}, got ${value.slice(0, 20)}`, 400);
    return value;
  }

  function download(c: Context<Env>, exported: Download) {
    const body = typeof exported.body === 'string' ? exported.body : (exported.body as Uint8Array<ArrayBuffer>);
    return c.body(body, 200, { 'content-type': exported.contentType, 'content-disposition': contentDisposition(exported.fileName) });
  }

  app.openapi(listVersionsRoute, async (c) => {
    const documentId = await authorize(c, 'viewer');
    return c.json({ versions: await history.list(documentId) }, 200);
  });

  app.openapi({ ...createNamedVersionRoute, middleware: limitBody(MAX_REQUEST_BODY_BYTES) }, async (c) => {
    const documentId = await authorize(c, 'editor');
    const body = c.req.valid('json');
    const version = await history.createNamed(documentId, body.name, author(c));
    logger.info({ documentName: documentId, versionId: version.id, userId: author(c).userId }, 'named version created');
    return c.json({ version }, 201);
  });

  app.openapi(getVersionRoute, async (c) => {
    const documentId = await authorize(c, 'viewer');
    const versionId = c.req.valid('param').vid;
    const chosen = format(c, ['json', ...DOWNLOAD_FORMATS], 'json');
    if (chosen === 'json' || !isDownloadFormat(chosen)) return c.json(await history.get(documentId, versionId), 200);
    return download(c, await exporter.version(documentId, versionId, chosen));
  });

  app.openapi(restoreVersionRoute, async (c) => {
    const documentId = await authorize(c, 'editor');
    const versionId = c.req.valid('param').vid;
    const version = await history.restore(documentId, versionId, author(c));
    logger.info({ documentName: documentId, fromVersion: versionId, versionId: version.id, userId: author(c).userId }, 'version restored');
    return c.json({ version, restoredFrom: versionId }, 200);
  });

  app.openapi(exportDocumentRoute, async (c) => {
    const documentId = await authorize(c, 'viewer');
    const chosen = format(c, DOWNLOAD_FORMATS, 'md');
    if (!isDownloadFormat(chosen)) throw new SnapshotsError('invalid_request', 'unknown format', 400);
    const comments = c.req.query('comments');
    if (comments !== undefined && comments !== 'true' && comments !== 'false') throw new SnapshotsError('invalid_request', `comments must be true or false, got ${comments.slice(0, 20)}`, 400);
    return download(c, await exporter.current(documentId, chosen, { comments: comments === 'true' }));
  });

  app.onError((error, c) => {
    const refusedBody = bodyErrorResponse(c, error);
    if (refusedBody) return refusedBody;
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof SnapshotsError) {
      if (error.status >= 500) logger.error({ err: error, path: c.req.path }, 'snapshots request failed');
      return c.json({ error: error.code, message: error.message }, error.status);
    }
    if (error instanceof InvalidContentError) {
      logger.error({ err: error, path: c.req.path }, 'stored content does not match the schema');
      return c.json({ error: 'document_corrupt', message: error.message }, 500);
    }
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });

  return app;
}
