import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { OpenAPIHono } from '@hono/zod-openapi';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup } from '@copycloud/auth-client';
import { COMMENT_LIMITS, isValidDocumentId, NOTIFICATION_LIMITS, parseMentions } from '@copycloud/protocol';
import { bodyErrorResponse, limitBody } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import {
  createSuggestionRoute,
  createThreadRoute,
  deleteCommentRoute,
  editCommentRoute,
  listCommentsRoute,
  reopenThreadRoute,
  replyRoute,
  resolveThreadRoute,
} from './api-routes.js';
import { ReviewError } from './errors.js';
import type { Actor, Review } from './review.js';
import { COMMENT_ID_PATTERN } from './request-schemas.js';
import type { Suggestions } from './suggestions.js';

export * from './request-schemas.js';

type Env = { Variables: AuthVariables & { documentId: string; actor: Actor } };

/**
 * This service's 400 (kept from before the routes were declared with
 * createRoute): `invalid request: …` with one issue per field, the body
 * itself as path ''.
 */
function invalidBody(result: { success: true } | { success: false; error: z.core.$ZodError }): void {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new ReviewError('invalid_request', `invalid request: ${issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; ')}`, 400, issues);
}

/**
 * `/api/docs/:id/comments…` and `/api/docs/:id/suggestions`: every route
 * needs a bearer access token and a role on the document; what each role may
 * do is in review.ts and suggestions.ts.
 */
export function reviewRoutes(deps: { review: Review; suggestions: Suggestions; verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<{ Variables: AuthVariables }> {
  const { review, suggestions, roles, logger } = deps;
  const app = new OpenAPIHono<Env>({ defaultHook: invalidBody });
  app.use('/api/docs/:id/comments', requireUser(deps.verifier));
  app.use('/api/docs/:id/comments/*', requireUser(deps.verifier));
  app.use('/api/docs/:id/suggestions', requireUser(deps.verifier));

  /**
   * The document id and the caller with their role (at least viewer: a
   * stranger gets 404), before the body is read or validated.
   */
  const member: MiddlewareHandler<Env> = async (c, next) => {
    const documentId = c.req.param('id') ?? '';
    if (!isValidDocumentId(documentId)) throw new ReviewError('document_not_found', `document ${documentId.slice(0, 80)} not found`, 404);
    const role = await assertDocumentRole(roles, documentId, c.var.identity, 'viewer');
    c.set('documentId', documentId);
    c.set('actor', { userId: c.var.identity.userId, name: c.var.identity.name, role });
    await next();
  };
  const memberOnly = { middleware: member };
  const memberWithBody = { middleware: [member, limitBody(COMMENT_LIMITS.maxRequestBytes)] };
  const actorOf = (c: Context<Env>) => ({ documentId: c.var.documentId, actor: c.var.actor });

  function idParam(c: Context<Env>, name: 'threadId' | 'replyId'): string {
    const value = c.req.param(name) ?? '';
    if (!COMMENT_ID_PATTERN.test(value)) throw new ReviewError(name === 'threadId' ? 'thread_not_found' : 'reply_not_found', `${name} ${value.slice(0, 80)} not found`, 404);
    return value;
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

  app.openapi({ ...listCommentsRoute, ...memberOnly }, async (c) => {
    const { documentId } = actorOf(c);
    return c.json({ threads: await review.list(documentId) }, 200);
  });

  app.openapi({ ...createThreadRoute, ...memberWithBody }, async (c) => {
    const { documentId, actor } = actorOf(c);
    const input = c.req.valid('json');
    await checkMentions(documentId, input.body);
    const thread = await review.createThread(documentId, actor, input);
    logger.info({ documentName: documentId, threadId: thread.id, userId: actor.userId }, 'comment thread created');
    return c.json({ thread }, 201);
  });

  app.openapi({ ...replyRoute, ...memberWithBody }, async (c) => {
    const { documentId, actor } = actorOf(c);
    const threadId = idParam(c, 'threadId');
    const { body: text } = c.req.valid('json');
    await checkMentions(documentId, text);
    const reply = await review.reply(documentId, actor, threadId, text);
    logger.info({ documentName: documentId, threadId, replyId: reply.id, userId: actor.userId }, 'comment reply added');
    return c.json({ reply }, 201);
  });

  app.openapi({ ...editCommentRoute, ...memberWithBody }, async (c) => {
    const { documentId, actor } = actorOf(c);
    const threadId = idParam(c, 'threadId');
    const replyId = idParam(c, 'replyId');
    const { body: text } = c.req.valid('json');
    await checkMentions(documentId, text);
    return c.json({ reply: await review.editReply(documentId, actor, threadId, replyId, text) }, 200);
  });

  app.openapi({ ...deleteCommentRoute, ...memberOnly }, async (c) => {
    const { documentId, actor } = actorOf(c);
    await review.deleteReply(documentId, actor, idParam(c, 'threadId'), idParam(c, 'replyId'));
    return c.body(null, 204);
  });

  app.openapi({ ...resolveThreadRoute, ...memberOnly }, async (c) => {
    const { documentId, actor } = actorOf(c);
    return c.json({ thread: await review.setResolved(documentId, actor, idParam(c, 'threadId'), true) }, 200);
  });

  app.openapi({ ...reopenThreadRoute, ...memberOnly }, async (c) => {
    const { documentId, actor } = actorOf(c);
    return c.json({ thread: await review.setResolved(documentId, actor, idParam(c, 'threadId'), false) }, 200);
  });

  app.openapi({ ...createSuggestionRoute, ...memberWithBody }, async (c) => {
    const { documentId, actor } = actorOf(c);
    const input = c.req.valid('json');
    const suggestion = await suggestions.create(documentId, actor, input);
    logger.info({ documentName: documentId, suggestionId: suggestion.id, userId: actor.userId }, 'suggestion created');
    return c.json({ suggestion }, 201);
  });

  app.onError((error, c) => {
    const refusedBody = bodyErrorResponse(c, error);
    // A body that is not JSON at all: this service's 400 names the body as the one issue.
    if (refusedBody?.status === 400) return c.json({ error: 'invalid_request', message: 'body must be JSON', issues: [{ path: '', message: 'not JSON' }] }, 400);
    if (refusedBody) return refusedBody;
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof ReviewError) {
      return c.json({ error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) }, error.status);
    }
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });

  return app as unknown as Hono<{ Variables: AuthVariables }>;
}
