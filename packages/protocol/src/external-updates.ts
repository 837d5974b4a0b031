import { isValidDocumentId } from './document-id.js';
import type { ExternalUpdateSource } from './origins.js';
import { fromBase64, toBase64 } from './stateless.js';

/**
 * Updates produced outside any sync node (a version restore by a separate
 * snapshots sidecar, a comment change by a separate review sidecar) reach
 * the nodes that hold the document through one Redis channel. The producer
 * appends the update to the log *before* publishing, so a node that loads
 * the document later reads it from Postgres, and a node that holds it
 * applies it live. Applying an update twice changes nothing.
 */
export const EXTERNAL_UPDATES_CHANNEL_SUFFIX = 'external-updates';

/** The default Redis channel prefix (`REDIS_PREFIX`): one per deployment sharing a Redis. */
export const DEFAULT_REDIS_PREFIX = 'copycloud';

export function externalUpdatesChannel(prefix: string): string {
  return `${prefix}:${EXTERNAL_UPDATES_CHANNEL_SUFFIX}`;
}

export interface ExternalUpdate {
  documentId: string;
  update: Uint8Array;
  /** What made it; the nodes apply it with the matching origin (`originOfExternalSource`). */
  source: ExternalUpdateSource;
}

export function encodeExternalUpdate(message: ExternalUpdate): string {
  return JSON.stringify({ v: 1, documentId: message.documentId, source: message.source, update: toBase64(message.update) });
}

/** Returns null for anything malformed (logged by the caller, never thrown into Redis' loop). */
export function decodeExternalUpdate(payload: string): ExternalUpdate | null {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    if (value.v !== 1 || !isExternalUpdateSource(value.source) || !isValidDocumentId(value.documentId) || typeof value.update !== 'string') {
      return null;
    }
    return { documentId: value.documentId as string, source: value.source, update: fromBase64(value.update) };
  } catch {
    return null;
  }
}

function isExternalUpdateSource(value: unknown): value is ExternalUpdateSource {
  return value === 'restore' || value === 'review';
}
