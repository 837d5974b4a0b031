import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup } from '@copycloud/auth-client';
import { COMMENT_LIMITS, isValidDocumentId, NOTIFICATION_LIMITS, parseMentions, SUGGESTION_LIMITS } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { ReviewError } from './errors.js';
import type { Actor, Review } from './review.js';
import type { Suggestions } from './suggestions.js';

type Env = { Variables: AuthVariables };

/** Thread and reply ids are the server's UUIDs; anything else is not one of them. */
export const COMMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const body = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.string().min(1, 'must not be empty').max(COMMENT_LIMITS.maxBodyChars, `at most ${COMMENT_LIMITS.maxBodyChars} characters`));
const anchorPosition = z.string().min(1).max(COMMENT_LIMITS.maxAnchorChars).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (Y.encodeRelativePosition)');

export const createThreadSchema = z.strictObject({ anchor: z.strictObject({ start: anchorPosition, end: anchorPosition }), body });
export const replySchema = z.strictObject({ body });
/** Not trimmed: spaces are part of the proposed text; '' proposes a deletion. */
export const createSuggestionSchema = z.strictObject({
  from: anchorPosition,
  to: anchorPosition,
  text: z.string().max(SUGGESTION_LIMITS.maxTextChars, `at most ${SUGGESTION_LIMITS.maxTextChars} characters`),
});

/**
 * `/api/docs/:id/comments…` and `/api/docs/:id/suggestions`: every route
 * needs a bearer access token and a role on the document; what each role may
 * do is in review.ts and suggestions.ts.
 */
export function reviewRoutes(deps: { review: Review; suggestions: Suggestions; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { review, suggestions, roles, logger } = deps;
  const app = new Hono<Env>();
  app.use('/api/docs/:id/comments', requireUser(deps.verifier));
  app.use('/api/docs/:id/comments/*', requireUser(deps.verifier));
  app.use('/api/docs/:id/suggestions', requireUser(deps.verifier));

  /** The document id and the caller with their role (at least viewer: a stranger gets 404). */
  async function actorOf(c: Context<Env>): Promise<{ documentId: string; actor: Actor }> {
    const documentId = c.req.param('id') ?? '';
    if (!isValidDocumentId(documentId)) throw new ReviewError('document_not_found', `document ${documentId.slice(0, 80)} not found`, 404);
    const role = await assertDocumentRole(roles, documentId, c.var.identity, 'viewer');
    return { documentId, actor: { userId: c.var.identity.userId, name: c.var.identity.name, role } };
  }

  function idParam(c: Context<Env>, name: 'threadId' | 'replyId'): string {
    const value = c.req.param(name) ?? '';
    if (!COMMENT_ID_PATTERN.test(value)) throw new ReviewError(name === 'threadId' ? 'thread_not_found' : 'reply_not_found', `${name} ${value.slice(0, 80)} not found`, 404);
    return value;
  }

  async function readBody<T>(c: Context<Env>, schema: z.ZodType<T>): Promise<T> {
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > COMMENT_LIMITS.maxRequestBytes) throw new ReviewError('invalid_request', `body over ${COMMENT_LIMITS.maxRequestBytes} bytes`, 413);
    const text = await c.req.text();
    if (Buffer.byteLength(text) > COMMENT_LIMITS.maxRequestBytes) throw new ReviewError('invalid_request', `body over ${COMMENT_LIMITS.maxRequestBytes} bytes`, 413);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ReviewError('invalid_request', 'body must be JSON', 400, [{ path: '', message: 'not JSON' }]);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      throw new ReviewError('invalid_request', `invalid request: ${issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; ')}`, 400, issues);
    }
    return parsed.data;
  }

  /** Every `@[Name](userId)` in a body names a member of the document (400 listing the others). */
  async function checkMentions(documentId: string, text: string): Promise<void> {
    const mentions = parseMentions(text);
    const issues: Array<{ path: string; message: string }> = [];
    if (mentions.length > NOTIFICATION_LIMITS.maxMentionsPerComment) issues.push({ path: 'body', message: `at most ${NOTIFICATION_LIMITS.maxMentionsPerComment} people mentioned, got ${mentions.length}` });
    else {
      for (const mention of mentions) {
        if ((await roles.roleOf(documentId, mention.userId)) === null) issues.push({ path: 'body', message: `mentions ${mention.userId}, who is not a member of this document` });
      }
    }
    if (issues.length) throw new ReviewError('invalid_request', `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, 400, issues);
  }

  app.get('/api/docs/:id/comments', async (c) => {
    const { documentId } = await actorOf(c);
    return c.json({ threads: await review.list(documentId) });
  });

  app.post('/api/docs/:id/comments', async (c) => {
    const { documentId, actor } = await actorOf(c);
    const input = await readBody(c, createThreadSchema);
    await checkMentions(documentId, input.body);
    const thread = await review.createThread(documentId, actor, input);
    logger.info({ documentName: documentId, threadId: thread.id, userId: actor.userId }, 'comment thread created');
    return c.json({ thread }, 201);
  });

  app.post('/api/docs/:id/comments/:threadId/replies', async (c) => {
    const { documentId, actor } = await actorOf(c);
    const threadId = idParam(c, 'threadId');
    const { body: text } = await readBody(c, replySchema);
    await checkMentions(documentId, text);
    const reply = await review.reply(documentId, actor, threadId, text);
    logger.info({ documentName: documentId, threadId, replyId: reply.id, userId: actor.userId }, 'comment reply added');
    return c.json({ reply }, 201);
  });

  app.patch('/api/docs/:id/comments/:threadId/replies/:replyId', async (c) => {
    const { documentId, actor } = await actorOf(c);
    const threadId = idParam(c, 'threadId');
    const replyId = idParam(c, 'replyId');
    const { body: text } = await readBody(c, replySchema);
    await checkMentions(documentId, text);
    return c.json({ reply: await review.editReply(documentId, actor, threadId, replyId, text) });
  });

  app.delete('/api/docs/:id/comments/:threadId/replies/:replyId', async (c) => {
    const { documentId, actor } = await actorOf(c);
    await review.deleteReply(documentId, actor, idParam(c, 'threadId'), idParam(c, 'replyId'));
    return c.body(null, 204);
  });

  app.post('/api/docs/:id/comments/:threadId/resolve', async (c) => {
    const { documentId, actor } = await actorOf(c);
    return c.json({ thread: await review.setResolved(documentId, actor, idParam(c, 'threadId'), true) });
  });

  app.post('/api/docs/:id/comments/:threadId/reopen', async (c) => {
    const { documentId, actor } = await actorOf(c);
    return c.json({ thread: await review.setResolved(documentId, actor, idParam(c, 'threadId'), false) });
  });

  app.post('/api/docs/:id/suggestions', async (c) => {
    const { documentId, actor } = await actorOf(c);
    const input = await readBody(c, createSuggestionSchema);
    const suggestion = await suggestions.create(documentId, actor, input);
    logger.info({ documentName: documentId, suggestionId: suggestion.id, userId: actor.userId }, 'suggestion created');
    return c.json({ suggestion }, 201);
  });

  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof ReviewError) {
      return c.json({ error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) }, error.status);
    }
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });

  return app;
}
