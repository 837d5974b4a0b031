import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup, type Role } from '@copycloud/auth-client';
import { isValidDocumentId, isValidFileId, UPLOAD_CONTENT_TYPES } from '@copycloud/protocol';
import { limitBody } from '@copycloud/http';
import { bearer, createApiApp, documentIdParam as documentId, errorResponse, routesFragment, unauthorized, type ApiFragment } from '@copycloud/openapi';
import type { Logger } from '@copycloud/observability';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config.js';
import { FilesError } from './errors.js';
import type { FileService } from './file-service.js';
import { MAX_IMAGE_DIMENSION_PX } from './image-type.js';

type Env = { Variables: AuthVariables };

const uploadedFile = z.object({
  id: z.string().describe('`{uuid}.{png|jpg|gif|webp}`'),
  url: z.string().describe("what an image node's `src` holds: `/api/docs/{id}/files/{fileId}`"),
  contentType: z.enum(UPLOAD_CONTENT_TYPES),
  bytes: z.number().int(),
  width: z.number().int().describe('pixels, from the image header'),
  height: z.number().int(),
});

// Path parameters are documented, not validated here: a malformed id is a 404 like an unknown one.
const fileId = z.string().openapi({
  param: { name: 'fileId', in: 'path' },
  description: 'file id, as the upload answered it',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(png|jpg|gif|webp)$',
});
const imageContent = Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string' as const, contentMediaType: type } }]));
const unavailable = errorResponse('the file store cannot be reached (`storage_unavailable`); nothing was stored');
const tags = ['files'];

export const uploadFileRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/files',
  operationId: 'uploadFile',
  summary: 'Upload an image (editor or owner)',
  description: `The request body is the file itself (not a multipart form). Accepted: PNG, JPEG, GIF and WebP, recognised by their first bytes whatever the Content-Type says; SVG is refused (it can carry scripts). At most ${DEFAULT_MAX_UPLOAD_BYTES} bytes by default (\`FILES_MAX_UPLOAD_BYTES\`) and ${MAX_IMAGE_DIMENSION_PX} px a side. Nothing is stored unless the whole file passed every check.`,
  tags,
  security: bearer,
  request: { params: z.object({ id: documentId }), body: { required: true, content: imageContent } },
  responses: {
    201: { description: 'stored; `Location` is the file URL', content: { 'application/json': { schema: z.object({ file: uploadedFile }) } } },
    400: errorResponse('empty body (`invalid_request`)'),
    401: unauthorized,
    403: errorResponse('uploading needs `editor` or `owner` (`forbidden`)'),
    404: errorResponse('no such document, or no role on it (`not_found`, `document_not_found`)'),
    413: errorResponse('over the size limit (`payload_too_large`)'),
    415: errorResponse('not a PNG, JPEG, GIF or WebP, an SVG, a multipart form, or bad dimensions (`unsupported_media_type`)'),
    503: unavailable,
  },
});

export const readFileRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/files/{fileId}',
  operationId: 'readFile',
  summary: 'Read an image (any role on the document)',
  description:
    'The bytes with their content type, `ETag` (files never change) and `Cache-Control: private, no-cache`: a browser revalidates with `If-None-Match`, the role is checked again, and an unchanged file answers 304 without its bytes. Sent with `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.',
  tags,
  security: bearer,
  request: { params: z.object({ id: documentId, fileId }) },
  responses: {
    200: { description: 'the image', content: imageContent },
    304: { description: 'unchanged (`If-None-Match` matched the ETag)' },
    401: unauthorized,
    404: errorResponse('no such document (or no role on it), or no such file of it (`not_found`, `file_not_found`)'),
    503: unavailable,
  },
});

/** Every route of the files service (`createFilesService().app`), documented from the definitions the app registers. */
export const filesApiFragment: ApiFragment = routesFragment(
  {
    service: 'files',
    tags: [
      {
        name: 'files',
        description:
          "Images of a document. The document holds the file's app URL, never a data: URL; reading it is an authenticated proxy (bearer token, role checked on every request), so a revoked member loses access at once and the object store is never exposed to browsers.",
      },
    ],
  },
  [uploadFileRoute, readFileRoute],
);

/**
 * `POST /api/docs/:id/files` (editor or owner) and `GET
 * /api/docs/:id/files/:fileId` (any role). Reading is an authenticated
 * proxy: the role is checked on every request, so revoking a member revokes
 * their access to the document's images at once.
 */
export function filesRoutes(deps: { files: FileService; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { files, roles, logger } = deps;
  const app = createApiApp<Env>();
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
  app.openapi({ ...uploadFileRoute, middleware: [editorsOnly, limitBody(files.maxUploadBytes)] as const }, async (c) => {
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

  app.openapi(readFileRoute, async (c) => {
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
