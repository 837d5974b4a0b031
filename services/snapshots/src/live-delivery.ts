import type { JSONContent } from '@copycloud/schema';
import type { DocumentStore } from '@copycloud/db';
import { replaceContent, updateToContent } from '@copycloud/schema';
import { RestoreOrigin, encodeExternalUpdate, externalUpdatesChannel, type SyncNode } from '@copycloud/sync-server';

/**
 * How a restore reaches the document: durably (update log) and live (every
 * sync node that holds it), as a forward change with origin `restore`.
 */
export interface RestoreDelivery {
  /** Changes the document's content to `content`; resolves once it is in the update log. */
  applyContent(documentId: string, content: JSONContent): Promise<void>;
}

/**
 * All-in-one: the sync node runs in this process. The restore is computed
 * against the node's live document (which includes edits not yet committed)
 * inside one transaction, so connected clients get it like any edit, and the
 * node's persistence appends it to the log; we wait for that commit.
 */
export function inProcessDelivery(node: SyncNode): RestoreDelivery {
  return {
    async applyContent(documentId, content) {
      const connection = await node.hocuspocus.openDirectConnection(documentId, { source: 'snapshots' });
      try {
        if (!connection.document) throw new Error(`document ${documentId} did not open`);
        replaceContent(connection.document, content, RestoreOrigin);
      } finally {
        await connection.disconnect();
      }
      await node.writer.flushDocument(documentId);
    },
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
    async applyContent(documentId, content) {
      const current = await options.store.loadMerged(documentId);
      if (current === null) throw new Error(`document ${documentId} does not exist`);
      const update = updateToContent(current, content, RestoreOrigin);
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
