import * as Y from 'yjs';
import type { DocumentStore } from '@copycloud/db';
import { ReviewOrigin, encodeExternalUpdate, externalUpdatesChannel, type CopycloudOrigin } from '@copycloud/protocol';

/**
 * How a comment change reaches the document: as a server transaction with
 * origin `review` (the only client-facing origin allowed to write the
 * server-only `comments` root), durably (update log) and live.
 *
 * `change` runs against the current document; it may read it and throw
 * (nothing written) before it writes. Its result is returned once the change
 * is in the update log.
 */
export interface ReviewDelivery {
  change<T>(documentId: string, change: (doc: Y.Doc) => T): Promise<T>;
  /** Reads the current document (no write). */
  read<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
}

/** What an in-process sync node offers (its `applyServerChange`). */
export interface ServerChanges {
  applyServerChange(documentId: string, origin: CopycloudOrigin, change: (document: Y.Doc) => void): Promise<void>;
}

/**
 * All-in-one: the change is a transaction on the node's live document
 * (including edits not yet committed), so connected clients get it like any
 * edit and the node's persistence appends it; resolves after that commit.
 */
export function inProcessReviewDelivery(node: ServerChanges): ReviewDelivery {
  const run = async <T>(documentId: string, f: (doc: Y.Doc) => T): Promise<T> => {
    let result: { value: T } | undefined;
    await node.applyServerChange(documentId, ReviewOrigin, (doc) => {
      result = { value: f(doc) };
    });
    if (!result) throw new Error(`document ${documentId}: the change did not run`);
    return result.value;
  };
  return { change: run, read: run };
}

/** What this needs from a Redis client (ioredis' `publish`). */
export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * The review sidecar on its own: the change is computed against the stored
 * state, appended to the log (a node loading the document later reads it),
 * then published on the external-updates channel with source `review`, so
 * nodes holding the document apply it live with origin `review`. Changes of
 * one document are serialized in this process; changes from two processes
 * merge like any concurrent edits.
 */
export function storedReviewDelivery(options: { store: DocumentStore; publisher: Publisher | null; channelPrefix: string; originNode: string }): ReviewDelivery {
  const queues = new Map<string, Promise<unknown>>();
  const serialized = <T>(documentId: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(documentId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(documentId, settled);
    void settled.then(() => {
      if (queues.get(documentId) === settled) queues.delete(documentId);
    });
    return next;
  };
  const load = async (documentId: string): Promise<Y.Doc> => {
    const state = await options.store.loadMerged(documentId);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    return doc;
  };
  return {
    read: async (documentId, read) => {
      const doc = await load(documentId);
      try {
        return read(doc);
      } finally {
        doc.destroy();
      }
    },
    change: (documentId, change) =>
      serialized(documentId, async () => {
        const doc = await load(documentId);
        try {
          const before = Y.encodeStateVector(doc);
          let result!: ReturnType<typeof change>;
          doc.transact(() => {
            result = change(doc);
          }, ReviewOrigin);
          const update = Y.encodeStateAsUpdate(doc, before);
          await options.store.append([{ documentId, update, originNode: options.originNode }]);
          if (options.publisher) {
            await options.publisher.publish(externalUpdatesChannel(options.channelPrefix), encodeExternalUpdate({ documentId, update, source: 'review' }));
          }
          return result;
        } finally {
          doc.destroy();
        }
      }),
  };
}
