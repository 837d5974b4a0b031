import { Redis } from 'ioredis';
import type { DocumentRoleLookup } from '@copycloud/auth-client';
import type { Database } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import type { NotificationsEnv } from '../config.js';
import type { ReviewEventSink } from '../events.js';
import { createNotificationDeliveryLoop, PostgresRecipientAddresses, type NotificationDeliveryLoop } from './delivery-loop.js';
import { smtpMailer, type Mailer } from './mailer.js';
import type { NotificationRoutesOptions } from './routes.js';
import { localNotificationSignals, redisNotificationSignals, type NotificationSignals } from './signals.js';
import { createNotificationSink } from './sink.js';
import { NotificationStore } from './store.js';
import { NotificationStreams, type NotificationStreamOptions } from './stream.js';

/** Notifications, wired once: the same for the review sidecar alone and for the all-in-one launcher. */
export interface Notifications {
  readonly store: NotificationStore;
  /** Goes in the review service's `sinks`. */
  readonly sink: ReviewEventSink;
  /** Goes in the review service's `notifications`. */
  readonly routes: NotificationRoutesOptions;
  readonly delivery: NotificationDeliveryLoop;
  /** Email digests are on (SMTP_URL set). */
  readonly email: boolean;
  /** Ends the open streams (before the HTTP server closes), stops the delivery loop, closes SMTP and Redis. Idempotent. */
  close(): Promise<void>;
}

/**
 * The store, the event sink, the routes' options, the delivery loop (email
 * digests over SMTP when `SMTP_URL` is set; webhook posts always) and the
 * live signals for the notification streams — over Redis when `redisUrl` is
 * set (several processes), in-process otherwise. The caller starts
 * `delivery` once it serves.
 */
export function createNotifications(deps: {
  db: Database;
  roles: DocumentRoleLookup;
  logger: Logger;
  env: NotificationsEnv;
  /** REDIS_URL: signals cross processes on `<redisPrefix>:notifications`. */
  redisUrl?: string;
  redisPrefix?: string;
  /** Instead of SMTP (tests); `null` forces no email. */
  mailer?: Mailer | null;
  stream?: NotificationStreamOptions;
}): Notifications {
  const { db, roles, logger, env } = deps;
  const store = new NotificationStore(db);
  const mailer = deps.mailer !== undefined ? deps.mailer : env.SMTP_URL ? smtpMailer({ smtpUrl: env.SMTP_URL, from: env.NOTIFY_EMAIL_FROM }) : null;
  if (!mailer) logger.info('SMTP_URL unset: notifications are in-app (and per-document webhooks) only');
  if (env.NOTIFY_WEBHOOK_ALLOW_PRIVATE) logger.warn('NOTIFY_WEBHOOK_ALLOW_PRIVATE=true: document webhooks may reach loopback and private addresses');

  let signals: NotificationSignals;
  let publisher: Redis | null = null;
  if (deps.redisUrl) {
    publisher = new Redis(deps.redisUrl, { maxRetriesPerRequest: 3 });
    const subscriber = new Redis(deps.redisUrl);
    for (const client of [publisher, subscriber]) client.on('error', (error: Error) => logger.error({ err: error }, 'notification signals: redis error'));
    signals = redisNotificationSignals({
      publisher,
      subscriber,
      channel: `${deps.redisPrefix ?? 'copycloud'}:notifications`,
      onError: (error) => logger.error({ err: error }, 'notification signals failed'),
    });
  } else {
    signals = localNotificationSignals();
  }
  const streams = new NotificationStreams(signals, logger, deps.stream);

  const delivery = createNotificationDeliveryLoop({
    store,
    roles,
    addresses: new PostgresRecipientAddresses(db),
    logger,
    mailer,
    appUrl: env.APP_URL,
    digestMs: env.NOTIFY_DIGEST_MS,
    pollMs: env.NOTIFY_POLL_MS,
    allowPrivateWebhooks: env.NOTIFY_WEBHOOK_ALLOW_PRIVATE,
  });
  let closing: Promise<void> | null = null;
  return {
    store,
    sink: createNotificationSink({ store, roles, email: mailer !== null, appUrl: env.APP_URL, signals }),
    routes: { store, signals, streams, allowHttpWebhooks: env.NOTIFY_WEBHOOK_ALLOW_HTTP, allowPrivateWebhooks: env.NOTIFY_WEBHOOK_ALLOW_PRIVATE },
    delivery,
    email: mailer !== null,
    close() {
      closing ??= (async () => {
        streams.closeAll();
        await delivery.stop();
        mailer?.close();
        await signals.close();
        await publisher?.quit().catch((error: unknown) => logger.warn({ err: error }, 'notification signals: closing redis failed'));
      })();
      return closing;
    },
  };
}
