import type * as Y from 'yjs';
import type { JSONContent, RestoreMark } from '@copycloud/schema';
import type { DocumentStore } from '@copycloud/db';
import { RestoreOrigin, encodeExternalUpdate, externalUpdatesChannel, type CopycloudOrigin } from '@copycloud/protocol';
import { restoreContent, updateToContent } from '@copycloud/schema';

/**
 * How a restore reaches the document: durably (update log) and live (every
 * sync node that holds it), as a forward change with origin `restore`.
 */
export interface RestoreDelivery {
  /** Changes the document's content to `content`, with the restore mark; resolves once it is in the update log. */
  applyContent(documentId: string, content: JSONContent, mark: RestoreMark): Promise<void>;
}

/** What an in-process sync node offers (its `applyServerChange`): all this service needs of it. */
export interface ServerChanges {
  applyServerChange(documentId: string, origin: CopycloudOrigin, change: (document: Y.Doc) => void): Promise<void>;
}

/**
 * All-in-one: the sync node runs in this process. The restore is computed
 * against the node's live document (which includes edits not yet committed)
 * inside one transaction, so connected clients get it like any edit, and the
 * node's persistence appends it to the log; it resolves after that commit.
 */
export function inProcessDelivery(node: ServerChanges): RestoreDelivery {
  return {
    applyContent: (documentId, content, mark) =>
      node.applyServerChange(documentId, RestoreOrigin, (document) => restoreContent(document, content, mark, RestoreOrigin)),
  };
}

/** What this needs from a Redis client (ioredis' `publish`). */
export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * Sidecar on its own: the restore is computed against the stored state,
 * appended to the log (so any node loading the document later has it), then
 * published on the external-updates channel for the nodes that hold the
 * document now (sync-server `listenForExternalUpdates`). Edits still in a
 * node's memory merge with it as concurrent edits.
 */
export function redisDelivery(options: {
  store: DocumentStore;
  publisher: Publisher | null;
  channelPrefix: string;
  originNode: string;
}): RestoreDelivery {
  return {
    async applyContent(documentId, content, mark) {
      const current = await options.store.loadMerged(documentId);
      if (current === null) throw new Error(`document ${documentId} does not exist`);
      const update = updateToContent(current, content, RestoreOrigin, mark);
      await options.store.append([{ documentId, update, originNode: options.originNode }]);
      if (options.publisher) {
        await options.publisher.publish(
          externalUpdatesChannel(options.channelPrefix),
          encodeExternalUpdate({ documentId, update, source: 'restore' }),
        );
      }
    },
  };
}
