import { Hono as HonoApp, type Hono } from 'hono';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import { createMetricsRegistry, opsRoutes, type Logger, type ReadinessCheck } from '@copycloud/observability';
import type { ReviewEvent } from '@copycloud/protocol';
import type { ReviewDelivery } from './delivery.js';
import { createReviewEventEmitter, type ReviewEventSink } from './events.js';
import { Review } from './review.js';
import { reviewRoutes } from './routes.js';
import { Suggestions, type DocumentOwnerLookup } from './suggestions.js';
import { notificationRoutes, type NotificationRoutesOptions } from './notifications/routes.js';

export interface ReviewServiceDeps {
  /** In-process (inProcessReviewDelivery) or through the update log and Redis (storedReviewDelivery). */
  delivery: ReviewDelivery;
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  /** The document's owners: told about suggestions on its text (PostgresDocumentOwners). */
  owners: DocumentOwnerLookup;
  /** Who hears about each comment, reply, resolution and suggestion (notifications hook in here). */
  sinks?: readonly ReviewEventSink[];
  /** `/api/notifications…` and `PUT /api/docs/:id/webhook` over this store (its sink goes in `sinks`). */
  notifications?: NotificationRoutesOptions;
  readinessChecks?: Record<string, ReadinessCheck>;
  processMetrics?: boolean;
}

export interface ReviewService {
  /** `/api/docs/:id/comments…`, `/api/docs/:id/suggestions` (and notifications when configured) */
  readonly app: Hono;
  /** `/healthz`, `/readyz`, `/metrics` (mount only when running alone). */
  readonly opsRoutes: Hono;
  readonly registry: Registry;
  readonly review: Review;
  readonly suggestions: Suggestions;
  /** /readyz fails from now on. Idempotent. */
  stop(): void;
}

/** The review sidecar as a library: comment threads, changed as server transactions. */
export function createReviewService(deps: ReviewServiceDeps): ReviewService {
  const registry = createMetricsRegistry({ service: 'review', processMetrics: deps.processMetrics ?? false });
  const changes = new Counter({ name: 'copycloud_review_changes_total', help: 'Comment changes committed, by event type', labelNames: ['type'] as const, registers: [registry] });
  const emit = createReviewEventEmitter({
    logger: deps.logger,
    sinks: [(event: ReviewEvent) => void changes.inc({ type: event.type }), ...(deps.sinks ?? [])],
  });
  const review = new Review({ delivery: deps.delivery, emit });
  const suggestions = new Suggestions({ delivery: deps.delivery, emit, owners: deps.owners });
  let accepting = true;
  return {
    app: appOf(deps, review, suggestions),
    opsRoutes: opsRoutes({ registries: () => [registry], accepting: () => accepting, checks: deps.readinessChecks ?? {} }),
    registry,
    review,
    suggestions,
    stop() {
      accepting = false;
    },
  };
}

function appOf(deps: ReviewServiceDeps, review: Review, suggestions: Suggestions): Hono {
  const comments = reviewRoutes({ review, suggestions, verifier: deps.verifier, roles: deps.roles, logger: deps.logger }) as unknown as Hono;
  if (!deps.notifications) return comments;
  const notifications = notificationRoutes({ ...deps.notifications, verifier: deps.verifier, roles: deps.roles, logger: deps.logger }) as unknown as Hono;
  return new HonoApp().route('/', comments).route('/', notifications);
}
