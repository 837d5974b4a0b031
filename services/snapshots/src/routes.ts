import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup, type Role } from '@copycloud/auth-client';
import { isValidDocumentId } from '@copycloud/protocol';
import { InvalidContentError } from '@copycloud/schema';
import { bodyErrorResponse, jsonBody, limitBody } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import { SnapshotsError } from './errors.js';
import type { History } from './history.js';
import { VERSION_NAME_MAX_CHARS } from './version-store.js';
import { DOWNLOAD_FORMATS, contentDisposition, isDownloadFormat, type Download, type Exporter } from './export/exporter.js';

/** Largest JSON body accepted on POST routes (a version name). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** `POST /api/docs/:id/versions`: a named version. */
export const namedVersionBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(VERSION_NAME_MAX_CHARS, `at most ${VERSION_NAME_MAX_CHARS} characters`),
});

type Env = { Variables: AuthVariables };

/**
 * `/api/docs/:id/versions…` and `/api/docs/:id/export`. Every route needs a
 * bearer access token; reading needs `viewer`, writing (`POST`) needs `editor`.
 */
export function snapshotsRoutes(deps: { history: History; exporter: Exporter; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { history, exporter, roles, logger } = deps;
  const app = new Hono<Env>();
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

  app.get('/api/docs/:id/versions', async (c) => {
    const documentId = await authorize(c, 'viewer');
    return c.json({ versions: await history.list(documentId) });
  });

  app.post('/api/docs/:id/versions', limitBody(MAX_REQUEST_BODY_BYTES), jsonBody(namedVersionBody), async (c) => {
    const documentId = await authorize(c, 'editor');
    const body = c.req.valid('json');
    const version = await history.createNamed(documentId, body.name, author(c));
    logger.info({ documentName: documentId, versionId: version.id, userId: author(c).userId }, 'named version created');
    return c.json({ version }, 201);
  });

  app.get('/api/docs/:id/versions/:vid', async (c) => {
    const documentId = await authorize(c, 'viewer');
    const versionId = c.req.param('vid');
    const chosen = format(c, ['json', ...DOWNLOAD_FORMATS], 'json');
    if (chosen === 'json' || !isDownloadFormat(chosen)) return c.json(await history.get(documentId, versionId));
    return download(c, await exporter.version(documentId, versionId, chosen));
  });

  app.post('/api/docs/:id/versions/:vid/restore', async (c) => {
    const documentId = await authorize(c, 'editor');
    const versionId = c.req.param('vid');
    const version = await history.restore(documentId, versionId, author(c));
    logger.info({ documentName: documentId, fromVersion: versionId, versionId: version.id, userId: author(c).userId }, 'version restored');
    return c.json({ version, restoredFrom: versionId });
  });

  app.get('/api/docs/:id/export', async (c) => {
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
