import { z } from 'zod';
import { bearer, errorResponse, jsonBody, jsonSchemaOf, jsonResponse, pathParam, queryParam, type ApiFragment, type Response } from '@copycloud/openapi';
import { MAX_REQUEST_BODY_BYTES, namedVersionBody } from './routes.js';
import { VERSION_ID_PATTERN, type VersionSummary } from './version-store.js';

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

const documentId = pathParam('id', 'document id', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' });
const versionId = pathParam('vid', 'version id', { type: 'string', pattern: VERSION_ID_PATTERN.source });
const unauthorized = errorResponse('missing, invalid or expired access token');
const forbidden = errorResponse("the caller's role is too low (`forbidden`)");
const notFound = errorResponse('no such document (or no role on it), or no such version of it (`document_not_found`, `version_not_found`, `not_found`)');
const badRequest = errorResponse('invalid body (with `issues`) or `format` (`invalid_request`)');
const tooLarge = errorResponse(`body over ${MAX_REQUEST_BODY_BYTES} bytes (\`payload_too_large\`)`);
const corrupt = errorResponse('stored content does not decode (`document_corrupt`)');
const DOWNLOAD_CONTENT = {
  'text/html': { schema: { type: 'string' } },
  'text/markdown': { schema: { type: 'string' } },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', contentMediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } },
  'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
};
const download = (what: string): Response => ({
  description: `${what} as a download named after the document's title (\`Content-Disposition: attachment; filename="…"; filename*=UTF-8''…\`). DOCX and PDF embed the document's own images (PDF: PNG and JPEG; DOCX: PNG, JPEG and GIF; others as their alt text) and its tables.`,
  content: DOWNLOAD_CONTENT,
});
const filesUnavailable = errorResponse('DOCX/PDF only: the file store holding the images cannot be reached (`files_unavailable`)');
const tags = ['versions'];

/** Every route of the snapshots service (`createSnapshotsService().app`). */
export const snapshotsApiFragment: ApiFragment = {
  service: 'snapshots',
  tags: [
    {
      name: 'versions',
      description: 'Version history (automatic after a pause in editing, named, restores), restore and export. Reading needs any role, writing needs `editor`.',
    },
  ],
  paths: {
    '/api/docs/{id}/versions': {
      get: {
        operationId: 'listVersions',
        summary: "A document's versions, newest first",
        tags,
        security: bearer,
        parameters: [documentId],
        responses: { '200': jsonResponse('versions', z.object({ versions: z.array(versionSchema) })), '401': unauthorized, '404': notFound },
      },
      post: {
        operationId: 'createNamedVersion',
        summary: 'Name the current state as a version (editor)',
        tags,
        security: bearer,
        parameters: [documentId],
        requestBody: jsonBody(namedVersionBody, { description: `at most ${MAX_REQUEST_BODY_BYTES} bytes` }),
        responses: { '201': jsonResponse('created', z.object({ version: versionSchema })), '400': badRequest, '401': unauthorized, '403': forbidden, '404': notFound, '413': tooLarge, '500': corrupt },
      },
    },
    '/api/docs/{id}/versions/{vid}': {
      get: {
        operationId: 'getVersion',
        summary: 'One version: its content as Tiptap JSON, or exported as Markdown, HTML, DOCX or PDF',
        tags,
        security: bearer,
        parameters: [documentId, versionId, queryParam('format', 'json (default), md, html, docx or pdf', { type: 'string', enum: ['json', 'md', 'html', 'docx', 'pdf'], default: 'json' })],
        responses: {
          '200': {
            description: "with `format=json`: the version and its ProseMirror/Tiptap JSON content; otherwise a download named `{title} (version {vid}).{ext}`",
            content: {
              'application/json': { schema: jsonSchemaOf(versionWithContent, 'output') },
              ...DOWNLOAD_CONTENT,
            },
          },
          '400': badRequest,
          '401': unauthorized,
          '404': notFound,
          '500': corrupt,
          '503': filesUnavailable,
        },
      },
    },
    '/api/docs/{id}/versions/{vid}/restore': {
      post: {
        operationId: 'restoreVersion',
        summary: 'Restore a version (editor): applied as a new change every collaborator receives live, and recorded as a `restore` version',
        tags,
        security: bearer,
        parameters: [documentId, versionId],
        responses: {
          '200': jsonResponse('restored', z.object({ version: versionSchema.describe('the new `restore` version'), restoredFrom: z.string().describe('the version id restored') })),
          '401': unauthorized,
          '403': forbidden,
          '404': notFound,
          '500': corrupt,
        },
      },
    },
    '/api/docs/{id}/export': {
      get: {
        operationId: 'exportDocument',
        summary: 'The current document exported as Markdown, HTML, DOCX or PDF',
        tags,
        security: bearer,
        parameters: [
          documentId,
          queryParam('format', 'md (default), html, docx or pdf', { type: 'string', enum: ['md', 'html', 'docx', 'pdf'], default: 'md' }),
          queryParam('comments', 'true: the comment threads follow the text as a numbered appendix (quote, each comment with author and time, resolved/detached); md and html only (400 otherwise)', { type: 'string', enum: ['true', 'false'], default: 'false' }),
        ],
        responses: { '200': download('the document'), '400': badRequest, '401': unauthorized, '404': notFound, '500': corrupt, '503': filesUnavailable },
      },
    },
  },
};
