import * as Y from 'yjs';
import type { Hocuspocus } from '@hocuspocus/server';
import { decodeExternalUpdate, externalUpdatesChannel, originOfExternalSource, type ExternalUpdate } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { validateUpdate } from '@copycloud/update-validation';

/**
 * Applies an external update to the document if this node holds it, with the
 * origin of its source (`restore`, `review`: server changes, which may write
 * the server-only roots); the persistence extension stores it again (a duplicate
 * row, harmless: replaying an update changes nothing, compaction folds it).
 * Returns whether the document was loaded here.
 */
export function applyExternalUpdate(hocuspocus: Hocuspocus, message: ExternalUpdate): boolean {
  const document = hocuspocus.documents.get(message.documentId);
  if (!document) return false;
  // Redis is ours, but an update is never trusted: the same rules as a client's.
  const verdict = validateUpdate(message.update, document);
  if (!verdict.ok) throw new Error(`external update refused: ${verdict.problem}`);
  Y.applyUpdate(document, message.update, originOfExternalSource(message.source));
  return true;
}

/** The part of a Redis subscriber connection this needs (ioredis' `subscribe` + 'message'). */
export interface ExternalUpdateSubscriber {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  off(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/** Subscribes a node to external updates; resolves to an unsubscribe function. */
export async function listenForExternalUpdates(options: {
  hocuspocus: Hocuspocus;
  subscriber: ExternalUpdateSubscriber;
  channelPrefix: string;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const channel = externalUpdatesChannel(options.channelPrefix);
  const listener = (from: string, payload: string) => {
    if (from !== channel) return;
    const message = decodeExternalUpdate(payload);
    if (!message) {
      options.logger.warn({ channel, bytes: payload.length }, 'ignored a malformed external update');
      return;
    }
    try {
      const applied = applyExternalUpdate(options.hocuspocus, message);
      options.logger.info({ documentName: message.documentId, source: message.source, applied }, 'external update received');
    } catch (error) {
      options.logger.error({ err: error, documentName: message.documentId }, 'external update could not be applied');
    }
  };
  options.subscriber.on('message', listener);
  await options.subscriber.subscribe(channel);
  return async () => {
    options.subscriber.off('message', listener);
    await options.subscriber.unsubscribe(channel);
  };
}
