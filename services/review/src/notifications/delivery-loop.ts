import type { DocumentRoleLookup } from '@copycloud/auth-client';
import type { Database } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import type { Mailer } from './mailer.js';
import type { NotificationStore, PendingEmail, PendingWebhookPost } from './store.js';
import { webhookPoster, WebhookTargetError, type WebhookPoster } from './webhook-target.js';

/** Limits and timings of the delivery loop, each with one default. */
export const NOTIFICATION_DELIVERY_DEFAULTS = Object.freeze({
  /** A recipient's digest goes out this long after their oldest pending notification. */
  digestMs: 5 * 60_000,
  /** How often the loop looks for due digests and webhook posts. */
  pollMs: 30_000,
  /** Recipients (and webhook posts) handled per round. */
  batchSize: 50,
  /** One webhook POST, in milliseconds. */
  webhookTimeoutMs: 5_000,
  /** Webhook attempts before giving up on a post. */
  webhookMaxAttempts: 5,
  /** First webhook retry delay; doubles per attempt. */
  webhookRetryBaseMs: 30_000,
});

/** Whose address a digest goes to (auth's users table in production). */
export interface RecipientAddresses {
  emailOf(userId: string): Promise<string | null>;
}

/** Addresses from auth's `users` table (guests have none: in-app only). */
export class PostgresRecipientAddresses implements RecipientAddresses {
  constructor(private readonly db: Database) {}
  async emailOf(userId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ email: string | null }>('SELECT email FROM users WHERE id = $1', [userId]);
    return rows[0]?.email ?? null;
  }
}

export interface DeliveryRound {
  emailsSent: number;
  notificationsEmailed: number;
  notificationsDropped: number;
  webhooks: Record<'sent' | 'retry' | 'failed' | 'dropped', number>;
}

export interface NotificationDeliveryLoop {
  /** One round at `now`: due digests, then due webhook posts. Rounds never overlap. */
  runOnce(now?: Date): Promise<DeliveryRound>;
  /** Rounds every `pollMs` until `stop`. */
  start(): void;
  /** Stops the timer and waits for a round in flight. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Email digests and webhook posts from what is pending in Postgres, so a
 * restarted (or second) process delivers exactly what the last one left:
 * rows are locked while being delivered and marked in the same transaction
 * after the mail or post went out (at least once; a crash in between sends
 * again). Membership is checked at delivery: a removed member gets nothing.
 */
export function createNotificationDeliveryLoop(deps: {
  store: NotificationStore;
  roles: DocumentRoleLookup;
  addresses: RecipientAddresses;
  logger: Logger;
  /** Null: no email (SMTP_URL unset); pending rows are never created then. */
  mailer: Mailer | null;
  /** Where digest links point (`<appUrl>/d/<id>`). */
  appUrl?: string;
  digestMs?: number;
  pollMs?: number;
  batchSize?: number;
  webhookTimeoutMs?: number;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
  /**
   * Let webhook posts reach loopback, private and link-local addresses
   * (NOTIFY_WEBHOOK_ALLOW_PRIVATE; tests). Off: each post resolves the host,
   * refuses such addresses and connects to exactly the address it checked.
   */
  allowPrivateWebhooks?: boolean;
  /** How webhook posts are sent (default: node:http(s) through the address check above). */
  postWebhook?: WebhookPoster;
}): NotificationDeliveryLoop {
  const o = { ...NOTIFICATION_DELIVERY_DEFAULTS, ...Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)) } as typeof NOTIFICATION_DELIVERY_DEFAULTS;
  const post = deps.postWebhook ?? webhookPoster({ allowPrivate: deps.allowPrivateWebhooks ?? false });
  const { store, roles, addresses, logger, mailer } = deps;
  let running: Promise<DeliveryRound> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function deliverDigest(recipientId: string, pending: PendingEmail[]): Promise<{ sent: string[]; dropped: string[] }> {
    const dropped: PendingEmail[] = [];
    const kept: PendingEmail[] = [];
    const memberOf = new Map<string, boolean>();
    for (const n of pending) {
      if (!memberOf.has(n.documentId)) memberOf.set(n.documentId, (await roles.roleOf(n.documentId, recipientId)) !== null);
      if (memberOf.get(n.documentId)) kept.push(n);
      else dropped.push(n);
    }
    const address = kept.length ? await addresses.emailOf(recipientId) : null;
    if (!address || !mailer) return { sent: [], dropped: pending.map((n) => n.id) };
    await mailer.send(digestMail(address, kept, deps.appUrl));
    logger.info({ userId: recipientId, notifications: kept.length, dropped: dropped.length }, 'notification digest sent');
    return { sent: kept.map((n) => n.id), dropped: dropped.map((n) => n.id) };
  }

  async function postWebhook(item: PendingWebhookPost, url: string | null): Promise<'sent' | 'retry' | 'failed' | 'dropped'> {
    if (url === null) return 'dropped';
    try {
      const response = await post(url, JSON.stringify({ text: item.text }), { timeoutMs: o.webhookTimeoutMs });
      if (response.status >= 200 && response.status < 300) return 'sent';
      logger.warn({ documentName: item.documentId, status: response.status, attempts: item.attempts + 1 }, 'webhook post refused');
    } catch (error) {
      // A host that resolves to a private address now (it may have changed since it was set) is never posted to.
      if (error instanceof WebhookTargetError && error.reason === 'refused_address') {
        logger.warn({ documentName: item.documentId, reason: error.message }, 'webhook post refused: private address');
        return 'failed';
      }
      logger.warn({ documentName: item.documentId, err: error, attempts: item.attempts + 1 }, 'webhook post failed');
    }
    return item.attempts + 1 >= o.webhookMaxAttempts ? 'failed' : 'retry';
  }

  async function round(now: Date): Promise<DeliveryRound> {
    const result: DeliveryRound = { emailsSent: 0, notificationsEmailed: 0, notificationsDropped: 0, webhooks: { sent: 0, retry: 0, failed: 0, dropped: 0 } };
    for (const recipientId of await store.recipientsWithDueDigest(new Date(now.getTime() - o.digestMs), o.batchSize)) {
      try {
        const done = await store.withPendingEmails(recipientId, (pending) => deliverDigest(recipientId, pending));
        if (done.sent) result.emailsSent += 1;
        result.notificationsEmailed += done.sent;
        result.notificationsDropped += done.dropped;
      } catch (error) {
        // Still pending: the next round tries again.
        logger.error({ err: error, userId: recipientId }, 'notification digest failed');
      }
    }
    result.webhooks = await store.withDueWebhookPosts(now, o.batchSize, postWebhook, (attempts) => o.webhookRetryBaseMs * 2 ** (attempts - 1));
    return result;
  }

  const loop: NotificationDeliveryLoop = {
    async runOnce(now = new Date()) {
      while (running) await running.catch(() => undefined);
      running = round(now);
      try {
        return await running;
      } finally {
        running = null;
      }
    },
    start() {
      if (timer || stopped) return;
      const tick = () => {
        loop
          .runOnce()
          .catch((error: unknown) => logger.error({ err: error }, 'notification delivery round failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, o.pollMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
  return loop;
}

/** One plain-text mail listing the recipient's notifications, oldest first. */
export function digestMail(to: string, notifications: readonly PendingEmail[], appUrl?: string): { to: string; subject: string; text: string } {
  const count = notifications.length;
  const lines = notifications.map((n) => {
    const why = n.kind === 'mention' ? 'mentioned you' : n.kind === 'reply' ? 'replied to your comment' : 'suggested a change to your text';
    // `#thread=` opens the document with the thread selected (a suggestion's id is not a thread).
    const thread = n.kind === 'suggestion' ? '' : `#thread=${encodeURIComponent(n.threadId)}`;
    const link = appUrl ? `\n  ${appUrl.replace(/\/$/, '')}/d/${n.documentId}${thread}` : '';
    return `- ${n.actorName} ${why}: “${n.excerpt}”${link}`;
  });
  return {
    to,
    subject: count === 1 ? 'Copycloud: 1 new notification' : `Copycloud: ${count} new notifications`,
    text: `${lines.join('\n')}\n\nYou get one digest every few minutes at most.\n`,
  };
}
