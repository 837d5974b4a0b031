import type { AccessTokenVerifier, DocumentRoleLookup } from '@copycloud/auth-client';
import type { Logger } from '@copycloud/observability';
import { inProcessReviewDelivery, type ServerChanges } from './delivery.js';
import type { ReviewEventSink } from './events.js';
import type { DocumentOwnerLookup } from './suggestions.js';
import type { NotificationRoutesOptions } from './notifications/routes.js';
import { createReviewService, type ReviewService } from './service.js';

/**
 * The review service for the all-in-one launcher: comment changes go
 * straight into the in-process sync node as server transactions (origin
 * `review`), so they reach connected editors like any edit and are stored by
 * the node's update log. No tables of its own: threads live in the document.
 */
export function createEmbeddedReviewService(options: {
  logger: Logger;
  verifier: AccessTokenVerifier;
  roles: DocumentRoleLookup;
  owners: DocumentOwnerLookup;
  /** The in-process sync node, through the one method comment changes need. */
  syncNode: ServerChanges;
  sinks?: readonly ReviewEventSink[];
  /** In-app notifications and webhooks (routes under /api/notifications and /api/docs/:id/webhook). */
  notifications?: NotificationRoutesOptions;
}): ReviewService {
  return createReviewService({
    delivery: inProcessReviewDelivery(options.syncNode),
    logger: options.logger,
    verifier: options.verifier,
    roles: options.roles,
    owners: options.owners,
    sinks: options.sinks,
    ...(options.notifications ? { notifications: options.notifications } : {}),
  });
}
