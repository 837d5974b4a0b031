import type { Migration } from '@copycloud/db';

/**
 * The review service's tables (notifications only: threads live in the
 * document). Run after the core migrations. No foreign keys to auth's tables:
 * membership and addresses are looked up at delivery.
 */
export const reviewMigrations: Migration[] = [
  {
    id: 'review-0001-notifications',
    sql: `
      CREATE TABLE IF NOT EXISTS notifications (
        id            bigserial PRIMARY KEY,
        recipient_id  text NOT NULL,
        -- The review event this came from (type:document:thread:reply): one
        -- notification per recipient per event, however often it is recorded.
        event_key     text NOT NULL,
        kind          text NOT NULL,
        document_id   text NOT NULL,
        thread_id     text NOT NULL,
        reply_id      text,
        actor_id      text NOT NULL,
        actor_name    text NOT NULL,
        excerpt       text NOT NULL,
        created_at    timestamptz NOT NULL,
        read_at       timestamptz,
        -- pending (waits for the recipient's next digest) | sent | dropped (no
        -- longer a member, or no address) | none (email not configured).
        email_state   text NOT NULL,
        emailed_at    timestamptz,
        UNIQUE (recipient_id, event_key)
      );
      CREATE INDEX IF NOT EXISTS notifications_recipient_idx ON notifications (recipient_id, created_at DESC);
      CREATE INDEX IF NOT EXISTS notifications_email_pending_idx ON notifications (recipient_id, created_at) WHERE email_state = 'pending';

      CREATE TABLE IF NOT EXISTS document_webhooks (
        document_id  text PRIMARY KEY,
        url          text NOT NULL,
        updated_by   text NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      );

      -- One post per review event per document, delivered at least once.
      CREATE TABLE IF NOT EXISTS webhook_outbox (
        document_id      text NOT NULL,
        event_key        text NOT NULL,
        text             text NOT NULL,
        created_at       timestamptz NOT NULL,
        -- pending | sent | failed (gave up) | dropped (webhook removed)
        state            text NOT NULL DEFAULT 'pending',
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        PRIMARY KEY (document_id, event_key)
      );
      CREATE INDEX IF NOT EXISTS webhook_outbox_pending_idx ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
    `,
  },
];
