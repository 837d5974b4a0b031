import { z } from 'zod';
import { UPLOAD_CONTENT_TYPES } from '@copycloud/protocol';
import { bearer, errorResponse, jsonResponse, pathParam, type ApiFragment } from '@copycloud/openapi';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config.js';
import { MAX_IMAGE_DIMENSION_PX } from './image-type.js';

const uploadedFile = z.object({
  id: z.string().describe('`{uuid}.{png|jpg|gif|webp}`'),
  url: z.string().describe("what an image node's `src` holds: `/api/docs/{id}/files/{fileId}`"),
  contentType: z.enum(UPLOAD_CONTENT_TYPES),
  bytes: z.number().int(),
  width: z.number().int().describe('pixels, from the image header'),
  height: z.number().int(),
});

const documentId = pathParam('id', 'document id', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' });
const fileId = pathParam('fileId', 'file id, as the upload answered it', {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(png|jpg|gif|webp)$',
});
const unauthorized = errorResponse('missing, invalid or expired access token');
const forbidden = errorResponse('uploading needs `editor` or `owner` (`forbidden`)');
const unavailable = errorResponse('the file store cannot be reached (`storage_unavailable`); nothing was stored');
const tags = ['files'];

/** Every route of the files service (`createFilesService().app`). */
export const filesApiFragment: ApiFragment = {
  service: 'files',
  tags: [
    {
      name: 'files',
      description:
        "Images of a document. The document holds the file's app URL, never a data: URL; reading it is an authenticated proxy (bearer token, role checked on every request), so a revoked member loses access at once and the object store is never exposed to browsers.",
    },
  ],
  paths: {
    '/api/docs/{id}/files': {
      post: {
        operationId: 'uploadFile',
        summary: 'Upload an image (editor or owner)',
        description: `The request body is the file itself (not a multipart form). Accepted: PNG, JPEG, GIF and WebP, recognised by their first bytes whatever the Content-Type says; SVG is refused (it can carry scripts). At most ${DEFAULT_MAX_UPLOAD_BYTES} bytes by default (\`FILES_MAX_UPLOAD_BYTES\`) and ${MAX_IMAGE_DIMENSION_PX} px a side. Nothing is stored unless the whole file passed every check.`,
        tags,
        security: bearer,
        parameters: [documentId],
        requestBody: {
          required: true,
          content: Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
        },
        responses: {
          '201': { ...jsonResponse('stored; `Location` is the file URL', z.object({ file: uploadedFile })) },
          '400': errorResponse('empty body (`invalid_request`)'),
          '401': unauthorized,
          '403': forbidden,
          '404': errorResponse('no such document, or no role on it (`not_found`, `document_not_found`)'),
          '413': errorResponse('over the size limit (`payload_too_large`)'),
          '415': errorResponse('not a PNG, JPEG, GIF or WebP, an SVG, a multipart form, or bad dimensions (`unsupported_media_type`)'),
          '503': unavailable,
        },
      },
    },
    '/api/docs/{id}/files/{fileId}': {
      get: {
        operationId: 'readFile',
        summary: 'Read an image (any role on the document)',
        description:
          'The bytes with their content type, `ETag` (files never change) and `Cache-Control: private, no-cache`: a browser revalidates with `If-None-Match`, the role is checked again, and an unchanged file answers 304 without its bytes. Sent with `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.',
        tags,
        security: bearer,
        parameters: [documentId, fileId],
        responses: {
          '200': {
            description: 'the image',
            content: Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
          },
          '304': { description: 'unchanged (`If-None-Match` matched the ETag)' },
          '401': unauthorized,
          '404': errorResponse('no such document (or no role on it), or no such file of it (`not_found`, `file_not_found`)'),
          '503': unavailable,
        },
      },
    },
  },
};
