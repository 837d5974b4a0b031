import { createRoute, z } from '@hono/zod-openapi';
import { COMMENT_LIMITS, SUGGESTION_LIMITS, type CreatedSuggestion, type ListedCommentThread } from '@copycloud/protocol';
import { bearer, documentIdParam as documentId, errorResponse, jsonRequest, jsonResponse, routesFragment, unauthorized, type ApiFragment } from '@copycloud/openapi';
import { COMMENT_ID_PATTERN, createSuggestionSchema, createThreadSchema, replySchema } from './request-schemas.js';

const reply = z.object({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string().describe('empty once deleted'),
  createdAt: z.iso.datetime(),
  editedAt: z.iso.datetime().nullable(),
  deleted: z.boolean(),
});
const thread = z.object({
  id: z.string(),
  anchor: z.object({ start: z.string(), end: z.string() }).describe('base64 `Y.encodeRelativePosition`s in the content fragment'),
  quote: z.string().describe(`the text selected when the thread was opened (at most ${COMMENT_LIMITS.maxQuoteChars} characters)`),
  authorId: z.string(),
  authorName: z.string(),
  createdAt: z.iso.datetime(),
  resolved: z.boolean(),
  resolvedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  replies: z.array(reply).readonly().describe('the opening comment first'),
});
const listed = thread.extend({
  detached: z.boolean().describe('its text was deleted: shown as detached, never lost'),
  currentText: z.string().describe("the anchored text as it reads now ('' when detached)"),
}) satisfies z.ZodType<ListedCommentThread>;

const suggestion = z.object({
  id: z.string().describe('the suggestion id, carried by its `suggestionDelete` and `suggestionInsert` marks'),
  quote: z.string().describe('the text proposed for deletion, as the server read it (clamped like a quote)'),
  text: z.string().describe('the proposed text'),
  deletedChars: z.number().int().describe('characters newly struck (text already proposed for deletion is left as it is)'),
  insertedChars: z.number().int(),
}) satisfies z.ZodType<CreatedSuggestion>;

// Path parameters are documented, not validated by the route: a malformed id is a 404 like an unknown one.
const threadId = z.string().openapi({ param: { name: 'threadId', in: 'path' }, description: 'comment thread id', pattern: COMMENT_ID_PATTERN.source });
const replyId = z.string().openapi({ param: { name: 'replyId', in: 'path' }, description: 'comment id (the opening comment or a reply)', pattern: COMMENT_ID_PATTERN.source });
const onDocument = { params: z.object({ id: documentId }) };
const onThread = { params: z.object({ id: documentId, threadId }) };
const onReply = { params: z.object({ id: documentId, threadId, replyId }) };
const notFound = errorResponse('no such document (or no role on it), thread or comment (`not_found`, `document_not_found`, `thread_not_found`, `reply_not_found`)');
const badRequest = errorResponse(`invalid body (\`invalid_request\`, with \`issues\` per field): body 1-${COMMENT_LIMITS.maxBodyChars} characters once trimmed, anchors base64 of at most ${COMMENT_LIMITS.maxAnchorChars} characters, no unknown fields`);
const tooLarge = errorResponse(`body over ${COMMENT_LIMITS.maxRequestBytes} bytes`);
const tags = ['comments'];
const writeResponses = { 400: badRequest, 401: unauthorized, 404: notFound, 413: tooLarge };

const commentsRoute = { tags, security: bearer };

export const listCommentsRoute = createRoute({
  ...commentsRoute,
  method: 'get',
  path: '/api/docs/{id}/comments',
  operationId: 'listComments',
  summary: 'Every thread (open and resolved) with where its text is now (any role)',
  request: onDocument,
  responses: { 200: jsonResponse('threads, oldest first', z.object({ threads: z.array(listed) })), 401: unauthorized, 404: notFound },
});

export const createThreadRoute = createRoute({
  ...commentsRoute,
  method: 'post',
  path: '/api/docs/{id}/comments',
  operationId: 'createCommentThread',
  summary: 'Open a thread on the selected text (commenter, editor, owner)',
  description: `The anchor is the selection as two Yjs relative positions (start before the first selected character, end after the last, left-associated) in the content fragment; the server checks both name text it holds and quotes that text. At most ${COMMENT_LIMITS.maxThreadsPerDocument} threads per document.`,
  request: { ...onDocument, body: jsonRequest(createThreadSchema, { description: `at most ${COMMENT_LIMITS.maxRequestBytes} bytes` }) },
  responses: {
    201: jsonResponse('created', z.object({ thread })),
    ...writeResponses,
    403: errorResponse('viewers cannot comment (`forbidden`)'),
    409: errorResponse('the anchor names text this server does not hold yet, e.g. an edit not yet saved (`anchor_not_found`): retry shortly'),
    422: errorResponse('too many threads (`too_many`)'),
  },
});

export const createSuggestionRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/suggestions',
  operationId: 'createSuggestion',
  summary: 'Suggest replacing, deleting or inserting text (commenter, editor, owner)',
  description: `\`from\` and \`to\` are Yjs relative positions (base64, like a comment anchor's \`start\` and \`end\`) in one text block; \`text\` (at most ${SUGGESTION_LIMITS.maxTextChars} characters, one line) replaces what lies between them: '' proposes a deletion, \`from\` = \`to\` an insertion.`,
  tags: ['suggestions'],
  security: bearer,
  request: { ...onDocument, body: jsonRequest(createSuggestionSchema, { description: `at most ${COMMENT_LIMITS.maxRequestBytes} bytes` }) },
  responses: {
    201: jsonResponse('written into the document', z.object({ suggestion })),
    400: errorResponse('invalid body (`invalid_request`, with `issues`), or a suggestion the writer refuses: across blocks, reversed, empty, a line break or control character, a code block, positions outside the content'),
    401: unauthorized,
    403: errorResponse('viewers cannot suggest (`forbidden`)'),
    404: errorResponse('no such document, or no role on it'),
    409: errorResponse('the positions name text this server does not hold yet, e.g. an edit not yet saved (`anchor_not_found`): retry shortly'),
    413: tooLarge,
  },
});

export const replyRoute = createRoute({
  ...commentsRoute,
  method: 'post',
  path: '/api/docs/{id}/comments/{threadId}/replies',
  operationId: 'replyToComment',
  summary: 'Reply in a thread (commenter, editor, owner)',
  request: { ...onThread, body: jsonRequest(replySchema) },
  responses: {
    201: jsonResponse('added', z.object({ reply })),
    ...writeResponses,
    403: errorResponse('viewers cannot reply (`forbidden`)'),
    422: errorResponse(`the thread has ${COMMENT_LIMITS.maxRepliesPerThread} comments (\`too_many\`)`),
  },
});

export const editCommentRoute = createRoute({
  ...commentsRoute,
  method: 'patch',
  path: '/api/docs/{id}/comments/{threadId}/replies/{replyId}',
  operationId: 'editComment',
  summary: 'Edit your own comment',
  request: { ...onReply, body: jsonRequest(replySchema) },
  responses: { 200: jsonResponse('edited', z.object({ reply })), ...writeResponses, 403: errorResponse("someone else's comment, or a viewer (`forbidden`)") },
});

export const deleteCommentRoute = createRoute({
  ...commentsRoute,
  method: 'delete',
  path: '/api/docs/{id}/comments/{threadId}/replies/{replyId}',
  operationId: 'deleteComment',
  summary: 'Delete your own comment (deleting the opening comment removes the thread from the lists)',
  request: onReply,
  responses: { 204: { description: 'deleted' }, 401: unauthorized, 403: errorResponse("someone else's comment, or a viewer (`forbidden`)"), 404: notFound },
});

const threadStateForbidden = errorResponse("another person's thread, as a commenter, or a viewer (`forbidden`)");

export const resolveThreadRoute = createRoute({
  ...commentsRoute,
  method: 'post',
  path: '/api/docs/{id}/comments/{threadId}/resolve',
  operationId: 'resolveCommentThread',
  summary: 'Resolve a thread (its author; editors and owners any thread)',
  request: onThread,
  responses: { 200: jsonResponse('the thread, resolved', z.object({ thread })), 401: unauthorized, 403: threadStateForbidden, 404: notFound },
});

export const reopenThreadRoute = createRoute({
  ...commentsRoute,
  method: 'post',
  path: '/api/docs/{id}/comments/{threadId}/reopen',
  operationId: 'reopenCommentThread',
  summary: 'Reopen a resolved thread (its author; editors and owners any thread)',
  request: onThread,
  responses: { 200: jsonResponse('the thread, open', z.object({ thread })), 401: unauthorized, 403: threadStateForbidden, 404: notFound },
});

/** Every comment and suggestion route of the review service (`createReviewService().app`), documented from the definitions the app registers. */
export const reviewApiFragment: ApiFragment = routesFragment(
  {
    service: 'review',
  tags: [
      {
        name: 'suggestions',
        description:
          'Suggestions written by the server for people whose socket is read-only (commenters): recorded exactly as Suggesting mode records them (the replaced text struck through with a `suggestionDelete` mark, the proposed text inserted with a `suggestionInsert` mark, one id), so they reach every open editor live and are accepted or rejected there like any suggestion. The authors of the touched text (the owners, and whoever proposed text inside the range) are notified.',
      },
      {
        name: 'comments',
        description:
          "Comment threads on a document's text. Threads live in the document (root map `comments`) and reach every open editor live; sync nodes refuse any client update that writes them, so every change goes through these routes, which apply it as a server transaction. Viewers read; commenters, editors and owners comment and reply; everyone edits and deletes only their own comments; a thread's author may resolve or reopen it, editors and owners any thread.",
      },
    ],
  },
  [listCommentsRoute, createThreadRoute, createSuggestionRoute, replyRoute, editCommentRoute, deleteCommentRoute, resolveThreadRoute, reopenThreadRoute],
);
