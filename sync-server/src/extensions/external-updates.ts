import * as Y from 'yjs';
import type { Hocuspocus } from '@hocuspocus/server';
import { fromBase64, isValidDocumentId, toBase64, type CopycloudOrigin } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { validateUpdate } from '@copycloud/update-validation';

/**
 * Updates produced outside any sync node (a version restore by the snapshots
 * sidecar) reach the nodes that hold the document through one Redis channel.
 * The producer appends the update to the log *before* publishing, so a node
 * that loads the document later reads it from Postgres, and a node that holds
 * it applies it live here. Applying an update twice changes nothing (Yjs).
 */
export const EXTERNAL_UPDATES_CHANNEL_SUFFIX = 'external-updates';

export function externalUpdatesChannel(prefix: string): string {
  return `${prefix}:${EXTERNAL_UPDATES_CHANNEL_SUFFIX}`;
}

export const RestoreOrigin: CopycloudOrigin = Object.freeze({ source: 'restore' });

export interface ExternalUpdate {
  documentId: string;
  update: Uint8Array;
  /** Only restores travel this way today; the origin the nodes apply it with. */
  source: 'restore';
}

export function encodeExternalUpdate(message: ExternalUpdate): string {
  return JSON.stringify({ v: 1, documentId: message.documentId, source: message.source, update: toBase64(message.update) });
}

/** Returns null for anything malformed (logged by the caller, never thrown into Redis' loop). */
export function decodeExternalUpdate(payload: string): ExternalUpdate | null {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    if (value.v !== 1 || value.source !== 'restore' || !isValidDocumentId(value.documentId) || typeof value.update !== 'string') {
      return null;
    }
    return { documentId: value.documentId as string, source: 'restore', update: fromBase64(value.update) };
  } catch {
    return null;
  }
}

/**
 * Applies an external update to the document if this node holds it; the
 * persistence extension stores it again under origin `restore` (a duplicate
 * row, harmless: replaying an update changes nothing, compaction folds it).
 * Returns whether the document was loaded here.
 */
export function applyExternalUpdate(hocuspocus: Hocuspocus, message: ExternalUpdate): boolean {
  const document = hocuspocus.documents.get(message.documentId);
  if (!document) return false;
  // Redis is ours, but an update is never trusted: the same rules as a client's.
  const verdict = validateUpdate(message.update, document);
  if (!verdict.ok) throw new Error(`external update refused: ${verdict.problem}`);
  Y.applyUpdate(document, message.update, RestoreOrigin);
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
