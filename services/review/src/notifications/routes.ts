import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import { assertDocumentRole, authErrorResponse, requireUser, AuthError, type AccessTokenVerifier, type AuthVariables, type DocumentRoleLookup } from '@copycloud/auth-client';
import { bodyErrorResponse, limitBody } from '@copycloud/http';
import { bearer, createApiApp, documentIdParam, errorResponse, routesFragment, unauthorized, type ApiFragment } from '@copycloud/openapi';
import type { Logger } from '@copycloud/observability';
import { isValidDocumentId, NOTIFICATION_KINDS, NOTIFICATION_LIMITS, type NotificationItem } from '@copycloud/protocol';
import { ReviewError } from '../errors.js';
import type { NotificationSignals } from './signals.js';
import type { NotificationStore } from './store.js';
import type { NotificationStreams } from './stream.js';
import { resolveWebhookHost, WebhookTargetError, type ResolveAll } from './webhook-target.js';

type Env = { Variables: AuthVariables };

const notification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS).describe('`mention`: you were @mentioned; `reply`: someone replied in a thread you opened; `suggestion`: a change was suggested to your text'),
  documentId: z.string(),
  documentTitle: z.string().describe('the document\'s title now (empty when it has none)'),
  threadId: z.string(),
  replyId: z.string().nullable(),
  actor: z.object({ userId: z.string(), name: z.string() }),
  excerpt: z.string().describe(`the comment, mentions as @Name, at most ${NOTIFICATION_LIMITS.maxExcerptChars} characters`),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
}) satisfies z.ZodType<NotificationItem>;

const notificationId = z.string().regex(/^[0-9]{1,19}$/, 'a notification id');
export const markReadSchema = z.union([
  z.strictObject({ ids: z.array(notificationId).min(1).max(NOTIFICATION_LIMITS.maxReadIds) }),
  z.strictObject({ all: z.literal(true) }),
]);
export const webhookSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(NOTIFICATION_LIMITS.maxWebhookUrlChars)
    .nullable()
    .describe('a Slack-compatible incoming webhook (POSTed `{"text": …}` per new comment or reply); https unless the deployment allows http (NOTIFY_WEBHOOK_ALLOW_HTTP); null removes it'),
});

const badRequest = errorResponse('invalid body (`invalid_request`, with `issues` per field)');
const tooLarge = errorResponse(`body over ${NOTIFICATION_LIMITS.maxRequestBytes} bytes (\`payload_too_large\`)`);
const tags = ['notifications'];
const json = <S extends z.ZodType>(schema: S) => ({ content: { 'application/json': { schema } } });

export const listNotificationsRoute = createRoute({
  method: 'get',
  path: '/api/notifications',
  operationId: 'listNotifications',
  summary: "The caller's notifications, newest first, with the unread count",
  description: `At most ${NOTIFICATION_LIMITS.maxListed}. Only documents the caller is still a member of: a removed member stops seeing them.`,
  tags,
  security: bearer,
  responses: {
    200: { description: 'newest first', ...json(z.object({ notifications: z.array(notification), unread: z.number().int() })) },
    401: unauthorized,
  },
});

export const markNotificationsReadRoute = createRoute({
  method: 'post',
  path: '/api/notifications/read',
  operationId: 'markNotificationsRead',
  summary: 'Mark some (`{ids}`) or all (`{all: true}`) of the caller\'s notifications read',
  tags,
  security: bearer,
  request: { body: { required: true, ...json(markReadSchema) } },
  responses: { 200: { description: 'how many changed, and the unread count now', ...json(z.object({ marked: z.number().int(), unread: z.number().int() })) }, 400: badRequest, 401: unauthorized, 413: tooLarge },
});

export const notificationStreamRoute = createRoute({
  method: 'get',
  path: '/api/notifications/stream',
  operationId: 'streamNotifications',
  summary: "The caller's unread count, live (Server-Sent Events)",
  description:
    'Event `unread` `{unread, latestId}` at once and after every change (a new notification, or some marked read in any tab); `ping` `{}` after 20 s of quiet. The stream ends after 15 minutes: reconnect with a fresh access token. At most 10 streams per person (429).',
  tags,
  security: bearer,
  responses: {
    200: { description: 'an SSE stream', content: { 'text/event-stream': { schema: z.string().describe('SSE frames: `event: unread` / `event: ping`, JSON data') } } },
    401: unauthorized,
    429: errorResponse('too many open streams for this person (`too_many_streams`)'),
    503: errorResponse('shutting down (`shutting_down`); reconnect'),
  },
});

export const setWebhookRoute = createRoute({
  method: 'put',
  path: '/api/docs/{id}/webhook',
  operationId: 'setDocumentWebhook',
  summary: "Set or remove the document's notification webhook (owner)",
  description: 'Each new comment and reply on the document is POSTed to it as `{"text": …}` (Slack-compatible), at least once, retried with backoff.',
  tags,
  security: bearer,
  request: { params: z.object({ id: documentIdParam }), body: { required: true, ...json(webhookSchema) } },
  responses: {
    200: { description: 'stored', ...json(z.object({ url: z.string().nullable() })) },
    400: errorResponse('invalid body (`invalid_request`, with `issues` per field), including a host that is or resolves to a loopback, private, link-local or otherwise non-public address, or does not resolve'),
    401: unauthorized,
    403: errorResponse('only the owner sets the webhook (`forbidden`)'),
    404: errorResponse('no such document, or no role on it'),
    413: tooLarge,
  },
});

/** The notification routes, documented from their definitions. */
export const notificationsApiFragment: ApiFragment = routesFragment(
  {
    service: 'review',
    tags: [{ name: 'notifications', description: 'In-app notifications (mentions, replies to your threads), email digests when SMTP is configured, and a per-document Slack-compatible webhook.' }],
  },
  [listNotificationsRoute, markNotificationsReadRoute, notificationStreamRoute, setWebhookRoute],
);

/** What the notification routes need besides the service's verifier, roles and logger. */
export interface NotificationRoutesOptions {
  store: NotificationStore;
  /** Marking read wakes the person's other streams (tabs) through these. */
  signals: NotificationSignals;
  streams: NotificationStreams;
  /** Accept http:// webhook URLs (NOTIFY_WEBHOOK_ALLOW_HTTP). */
  allowHttpWebhooks: boolean;
  /** Accept webhook hosts on loopback, private and link-local addresses (NOTIFY_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivateWebhooks: boolean;
  /** How webhook hosts are resolved when set (tests); default DNS. */
  resolveWebhookHost?: ResolveAll;
}

/**
 * `GET /api/notifications`, `GET /api/notifications/stream`, `POST
 * /api/notifications/read`, `PUT /api/docs/:id/webhook`. Bodies are read the
 * packages/http way: the route's schema validates (400 with issues),
 * `limitBody` bounds (413).
 */
export function notificationRoutes(deps: NotificationRoutesOptions & { verifier: AccessTokenVerifier; roles: DocumentRoleLookup; logger: Logger }): Hono<Env> {
  const { store, roles, logger } = deps;
  const app = createApiApp<Env>();
  app.use('/api/notifications', requireUser(deps.verifier));
  app.use('/api/notifications/*', requireUser(deps.verifier));
  app.use('/api/docs/:id/webhook', requireUser(deps.verifier));

  /** The caller's notifications on documents they are still a member of. */
  async function visible(c: Context<Env>) {
    const userId = c.var.identity.userId;
    const { items, unreadByDocument } = await store.listFor(userId, NOTIFICATION_LIMITS.maxListed);
    const member = new Map<string, boolean>();
    for (const id of new Set([...items.map((n) => n.documentId), ...unreadByDocument.keys()])) member.set(id, (await roles.roleOf(id, userId)) !== null);
    const unread = [...unreadByDocument].reduce((sum, [doc, count]) => sum + (member.get(doc) ? count : 0), 0);
    return { notifications: items.filter((n) => member.get(n.documentId)), unread };
  }

  app.openapi(listNotificationsRoute, async (c) => c.json(await visible(c), 200));

  // Not app.openapi: the handler answers a stream, not JSON (the route is documented above all the same).
  app.get('/api/notifications/stream', (c) =>
    deps.streams.respond(c, c.var.identity.userId, async () => {
      const { notifications, unread } = await visible(c);
      return { unread, latestId: notifications[0]?.id ?? null };
    }),
  );

  app.openapi({ ...markNotificationsReadRoute, middleware: [limitBody(NOTIFICATION_LIMITS.maxRequestBytes)] as const }, async (c) => {
    const body = c.req.valid('json');
    const marked = await store.markRead(c.var.identity.userId, 'all' in body ? 'all' : body.ids, new Date());
    if (marked > 0) deps.signals.publish([c.var.identity.userId]);
    return c.json({ marked, unread: (await visible(c)).unread }, 200);
  });

  app.openapi({ ...setWebhookRoute, middleware: [limitBody(NOTIFICATION_LIMITS.maxRequestBytes)] as const }, async (c) => {
    const id = c.req.param('id');
    if (!isValidDocumentId(id)) throw new ReviewError('document_not_found', `document ${id.slice(0, 80)} not found`, 404);
    await assertDocumentRole(roles, id, c.var.identity, 'owner');
    const { url } = c.req.valid('json');
    if (url !== null && !deps.allowHttpWebhooks && !url.startsWith('https:')) {
      throw new ReviewError('invalid_request', 'invalid request body: url: must be an https URL', 400, [{ path: 'url', message: 'must be an https URL' }]);
    }
    if (url !== null) {
      // Checked again at every delivery (DNS can change); this catches the obvious mistakes and probes early.
      try {
        await resolveWebhookHost(new URL(url).hostname, { allowPrivate: deps.allowPrivateWebhooks, resolve: deps.resolveWebhookHost });
      } catch (error) {
        if (!(error instanceof WebhookTargetError)) throw error;
        throw new ReviewError('invalid_request', `invalid request body: url: ${error.message}`, 400, [{ path: 'url', message: error.message }]);
      }
    }
    await store.setWebhook(id, url, c.var.identity.userId);
    // The URL is a secret (Slack webhooks are bearer URLs): never logged.
    logger.info({ documentName: id, userId: c.var.identity.userId, set: url !== null }, 'document webhook changed');
    return c.json({ url }, 200);
  });

  app.onError((error, c) => {
    const body = bodyErrorResponse(c, error);
    if (body) return body;
    if (error instanceof AuthError) return authErrorResponse(c, error);
    if (error instanceof ReviewError) return c.json({ error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) }, error.status);
    logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  return app as unknown as Hono<Env>;
}
