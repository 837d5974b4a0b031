/**
 * Stateless messages (Hocuspocus' side channel) that Copycloud nodes send to
 * clients. Versioned and discriminated on `type`; clients ignore types they do
 * not know so nodes can be upgraded first.
 */
export const STATELESS_PROTOCOL_VERSION = 1;

/**
 * Durable acknowledgement: every update the node had received when `sv` was
 * taken is committed to Postgres. `sv` is the base64 of a Yjs state vector; a
 * client compares its own clocks against it to know which of its changes are
 * saved.
 */
export interface SavedMessage {
  type: 'saved';
  v: number;
  sv: string;
}

/** The node could not persist updates; the client should show "not saved". */
export interface StorageErrorMessage {
  type: 'storage-error';
  v: number;
  message: string;
}

export type ServerStatelessMessage = SavedMessage | StorageErrorMessage;

export function encodeStateless(message: ServerStatelessMessage): string {
  return JSON.stringify(message);
}

/** Parses a stateless payload from a node; returns null for anything unknown. */
export function decodeServerStateless(payload: string): ServerStatelessMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null; // not ours: other extensions may use stateless messages too
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'saved':
      return typeof message.sv === 'string' ? (message as unknown as SavedMessage) : null;
    case 'storage-error':
      return typeof message.message === 'string' ? (message as unknown as StorageErrorMessage) : null;
    default:
      return null;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
