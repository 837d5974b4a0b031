import type { Database, Sql } from '@copycloud/db';
import type { NotificationItem, NotificationKind } from '@copycloud/protocol';

/** One notification to record (the store makes it idempotent per recipient and event). */
export interface NewNotification {
  recipientId: string;
  eventKey: string;
  kind: NotificationKind;
  documentId: string;
  threadId: string;
  replyId: string | null;
  actor: { userId: string; name: string };
  excerpt: string;
  createdAt: string;
  /** Whether an email digest will carry it (SMTP configured). */
  email: boolean;
}

export interface PendingEmail {
  id: string;
  documentId: string;
  threadId: string;
  kind: NotificationKind;
  actorName: string;
  excerpt: string;
  createdAt: string;
}

export interface PendingWebhookPost {
  documentId: string;
  eventKey: string;
  text: string;
  attempts: number;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  document_id: string;
  document_title: string | null;
  thread_id: string;
  reply_id: string | null;
  actor_id: string;
  actor_name: string;
  excerpt: string;
  created_at: Date | string;
  read_at: Date | string | null;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** Notifications, document webhooks and the webhook outbox in SQL (Postgres or PGlite). */
export class NotificationStore {
  constructor(private readonly db: Database) {}

  /** Inserts each notification unless that recipient already has one for that event. Returns how many were new. */
  async record(notifications: readonly NewNotification[]): Promise<number> {
    let added = 0;
    for (const n of notifications) {
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO notifications (recipient_id, event_key, kind, document_id, thread_id, reply_id, actor_id, actor_name, excerpt, created_at, email_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (recipient_id, event_key) DO NOTHING RETURNING id`,
        [n.recipientId, n.eventKey, n.kind, n.documentId, n.threadId, n.replyId, n.actor.userId, n.actor.name, n.excerpt, n.createdAt, n.email ? 'pending' : 'none'],
      );
      added += rows.length;
    }
    return added;
  }

  /** The recipient's newest notifications and unread counts, per document (the caller filters by membership). */
  async listFor(recipientId: string, limit: number): Promise<{ items: NotificationItem[]; unreadByDocument: Map<string, number> }> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT n.id::text AS id, n.kind, n.document_id, d.title AS document_title, n.thread_id, n.reply_id, n.actor_id, n.actor_name, n.excerpt, n.created_at, n.read_at
         FROM notifications n LEFT JOIN documents d ON d.id = n.document_id
        WHERE n.recipient_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
      [recipientId, limit],
    );
    const counts = await this.db.query<{ document_id: string; unread: string | number }>(
      'SELECT document_id, count(*) AS unread FROM notifications WHERE recipient_id = $1 AND read_at IS NULL GROUP BY document_id',
      [recipientId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        documentId: r.document_id,
        documentTitle: r.document_title ?? '',
        threadId: r.thread_id,
        replyId: r.reply_id,
        actor: { userId: r.actor_id, name: r.actor_name },
        excerpt: r.excerpt,
        createdAt: iso(r.created_at),
        readAt: r.read_at === null ? null : iso(r.read_at),
      })),
      unreadByDocument: new Map(counts.rows.map((r) => [r.document_id, Number(r.unread)])),
    };
  }

  /** Marks the recipient's notifications read (these ids, or all); someone else's ids change nothing. */
  async markRead(recipientId: string, ids: readonly string[] | 'all', at: Date): Promise<number> {
    if (ids === 'all') {
      const { rows } = await this.db.query('UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL RETURNING id', [recipientId, at.toISOString()]);
      return rows.length;
    }
    if (ids.length === 0) return 0;
    const { rows } = await this.db.query(
      'UPDATE notifications SET read_at = $3 WHERE recipient_id = $1 AND id::text = ANY($2::text[]) AND read_at IS NULL RETURNING id',
      [recipientId, ids, at.toISOString()],
    );
    return rows.length;
  }

  async webhookOf(documentId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ url: string }>('SELECT url FROM document_webhooks WHERE document_id = $1', [documentId]);
    return rows[0]?.url ?? null;
  }

  async setWebhook(documentId: string, url: string | null, userId: string): Promise<void> {
    if (url === null) {
      await this.db.query('DELETE FROM document_webhooks WHERE document_id = $1', [documentId]);
      return;
    }
    await this.db.query(
      `INSERT INTO document_webhooks (document_id, url, updated_by, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (document_id) DO UPDATE SET url = EXCLUDED.url, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [documentId, url, userId],
    );
  }

  /** Queues one post for the document's webhook (once per event). */
  async queueWebhookPost(documentId: string, eventKey: string, text: string, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_outbox (document_id, event_key, text, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (document_id, event_key) DO NOTHING`,
      [documentId, eventKey, text, at],
    );
  }

  /** Recipients whose oldest pending email notification is at or before `cutoff` (their digest is due). */
  async recipientsWithDueDigest(cutoff: Date, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ recipient_id: string }>(
      `SELECT recipient_id FROM notifications WHERE email_state = 'pending'
        GROUP BY recipient_id HAVING min(created_at) <= $1 ORDER BY min(created_at) LIMIT $2`,
      [cutoff.toISOString(), limit],
    );
    return rows.map((r) => r.recipient_id);
  }

  /**
   * Runs `deliver` over the recipient's pending email notifications, locked
   * (another delivery process skips them), in one transaction: what `deliver`
   * returns is marked, and a throw leaves every row pending for the next round.
   */
  async withPendingEmails(
    recipientId: string,
    deliver: (pending: PendingEmail[]) => Promise<{ sent: string[]; dropped: string[] }>,
  ): Promise<{ sent: number; dropped: number }> {
    return this.db.transaction(async (tx: Sql) => {
      const { rows } = await tx.query<NotificationRow>(
        `SELECT id::text AS id, kind, document_id, thread_id, actor_name, excerpt, created_at FROM notifications
          WHERE recipient_id = $1 AND email_state = 'pending' ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
        [recipientId],
      );
      if (rows.length === 0) return { sent: 0, dropped: 0 };
      const result = await deliver(
        rows.map((r) => ({ id: r.id, documentId: r.document_id, threadId: r.thread_id, kind: r.kind, actorName: r.actor_name, excerpt: r.excerpt, createdAt: iso(r.created_at) })),
      );
      if (result.sent.length) await tx.query("UPDATE notifications SET email_state = 'sent', emailed_at = now() WHERE id::text = ANY($1::text[])", [result.sent]);
      if (result.dropped.length) await tx.query("UPDATE notifications SET email_state = 'dropped' WHERE id::text = ANY($1::text[])", [result.dropped]);
      return { sent: result.sent.length, dropped: result.dropped.length };
    });
  }

  /** Runs `post` over due webhook posts, locked, one transaction each; `post` says how each went. */
  async withDueWebhookPosts(
    now: Date,
    limit: number,
    post: (item: PendingWebhookPost, url: string | null) => Promise<'sent' | 'retry' | 'failed' | 'dropped'>,
    retryDelayMs: (attempts: number) => number,
  ): Promise<Record<'sent' | 'retry' | 'failed' | 'dropped', number>> {
    const counts = { sent: 0, retry: 0, failed: 0, dropped: 0 };
    const { rows: due } = await this.db.query<{ document_id: string; event_key: string }>(
      "SELECT document_id, event_key FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2",
      [now.toISOString(), limit],
    );
    for (const key of due) {
      await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ document_id: string; event_key: string; text: string; attempts: number }>(
          `SELECT o.document_id, o.event_key, o.text, o.attempts FROM webhook_outbox o
            WHERE o.document_id = $1 AND o.event_key = $2 AND o.state = 'pending' FOR UPDATE SKIP LOCKED`,
          [key.document_id, key.event_key],
        );
        const row = rows[0];
        if (!row) return;
        const hook = await tx.query<{ url: string }>('SELECT url FROM document_webhooks WHERE document_id = $1', [row.document_id]);
        const outcome = await post({ documentId: row.document_id, eventKey: row.event_key, text: row.text, attempts: row.attempts }, hook.rows[0]?.url ?? null);
        counts[outcome] += 1;
        if (outcome === 'retry') {
          await tx.query('UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = $3 WHERE document_id = $1 AND event_key = $2', [
            row.document_id,
            row.event_key,
            new Date(now.getTime() + retryDelayMs(row.attempts + 1)).toISOString(),
          ]);
        } else {
          await tx.query('UPDATE webhook_outbox SET state = $3, attempts = attempts + 1 WHERE document_id = $1 AND event_key = $2', [row.document_id, row.event_key, outcome]);
        }
      });
    }
    return counts;
  }
}
