import type { Logger } from '@copycloud/observability';
import type { ReviewEvent } from '@copycloud/protocol';

/**
 * Where review events go: notifications and @mentions subscribe here. Called
 * once per committed change, after it is in the document (and the update
 * log); a sink that fails is logged and never undoes or fails the change.
 */
export type ReviewEventSink = (event: ReviewEvent) => void | Promise<void>;

/** The one function every comment change and API suggestion reports through. */
export function createReviewEventEmitter(options: { sinks: readonly ReviewEventSink[]; logger: Logger }): (event: ReviewEvent) => Promise<void> {
  return async (event) => {
    const about = event.type === 'suggestion-created' ? { suggestionId: event.suggestionId } : { threadId: event.threadId };
    options.logger.info({ documentName: event.documentId, ...about, event: event.type, userId: event.actor.userId }, 'review event');
    for (const sink of options.sinks) {
      try {
        await sink(event);
      } catch (error) {
        options.logger.error({ err: error, documentName: event.documentId, ...about, event: event.type }, 'review event sink failed');
      }
    }
  };
}
