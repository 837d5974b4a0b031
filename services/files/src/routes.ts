import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup, type Role } from '@copycloud/auth-client';
import { isValidDocumentId, isValidFileId } from '@copycloud/protocol';
import { limitBody } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import { FilesError } from './errors.js';
import type { FileService } from './file-service.js';

type Env = { Variables: AuthVariables };

/**
 * `POST /api/docs/:id/files` (editor or owner) and `GET
 * /api/docs/:id/files/:fileId` (any role). Reading is an authenticated
 * proxy: the role is checked on every request, so revoking a member revokes
 * their access to the document's images at once.
 */
export function filesRoutes(deps: { files: FileService; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { files, roles, logger } = deps;
  const app = new Hono<Env>();
  app.use('/api/docs/:id/files', requireUser(deps.verifier));
  app.use('/api/docs/:id/files/*', requireUser(deps.verifier));

  async function authorize(c: Context<Env>, role: Role): Promise<string> {
    const documentId = c.req.param('id') ?? '';
    if (!isValidDocumentId(documentId)) throw new FilesError('document_not_found', `document ${documentId.slice(0, 80)} not found`, 404);
    await assertDocumentRole(roles, documentId, c.var.identity, role);
    return documentId;
  }

  // The role first, then the size: a declared Content-Length over the limit is
  // refused before reading, a chunked body as soon as it passes it (413).
  const editorsOnly: MiddlewareHandler<Env> = async (c, next) => {
    await authorize(c, 'editor');
    await next();
  };
  app.post('/api/docs/:id/files', editorsOnly, limitBody(files.maxUploadBytes), async (c) => {
    const documentId = c.req.param('id');
    const type = c.req.header('content-type') ?? '';
    if (/^multipart\//i.test(type)) {
      throw new FilesError('unsupported_media_type', 'send the image file itself as the request body (e.g. fetch(url, { method: "POST", body: file })), not a multipart form', 415);
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = await files.upload(documentId, bytes);
    logger.info({ documentName: documentId, fileId: file.id, bytes: file.bytes, contentType: file.contentType, userId: c.var.identity.userId }, 'file uploaded');
    return c.json({ file }, 201, { location: file.url });
  });

  app.get('/api/docs/:id/files/:fileId', async (c) => {
    const documentId = await authorize(c, 'viewer');
    const fileId = c.req.param('fileId');
    // Files never change under an id: the id is the validator, checked after the role.
    const etag = `"${fileId}"`;
    const headers = {
      etag,
      // Revalidate every time so the role is checked again; the 304 costs no bytes.
      'cache-control': 'private, no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-origin',
    };
    if (isValidFileId(fileId) && c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const file = await files.read(documentId, fileId);
    if (!file) throw new FilesError('file_not_found', `file ${fileId.slice(0, 80)} of document ${documentId} not found`, 404);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
  });

  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof FilesError) {
      if (error.status === 503) logger.error({ err: error.cause ?? error, path: c.req.path }, 'file store failed');
      return c.json({ error: error.code, message: error.message }, error.status);
    }
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });

  return app;
}
