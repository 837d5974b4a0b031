import { isRole, type Role } from './api/documents.js';

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

/**
 * This connection's role changed while it was open (pushed by the auth
 * service). A read-only role means the node no longer applies this client's
 * updates: the client stops taking input and keeps what was not accepted as
 * a local draft; a writable role again means it should re-send that draft
 * (a fresh sync step 1 does).
 */
export interface RoleChangedMessage {
  type: 'role-changed';
  v: number;
  role: Role;
}

/** The document was renamed by someone; `title` is the new name (may be empty: untitled). */
export interface DocumentRenamedMessage {
  type: 'document-renamed';
  v: number;
  title: string;
}

/** The document was deleted; the node closes it for this client right after (4403). */
export interface DocumentDeletedMessage {
  type: 'document-deleted';
  v: number;
}

/** The answer to a client's `ping`, echoing its sequence number. */
export interface PongMessage {
  type: 'pong';
  v: number;
  seq: number;
}

export type ServerStatelessMessage =
  | SavedMessage
  | StorageErrorMessage
  | RoleChangedMessage
  | DocumentRenamedMessage
  | DocumentDeletedMessage
  | PongMessage;

/**
 * Heartbeat from a client: the node answers `pong` at once, so a client that
 * hears nothing for a few seconds knows its socket is dead (a half-open TCP
 * connection otherwise looks open for tens of seconds).
 */
export interface PingMessage {
  type: 'ping';
  v: number;
  seq: number;
}

export type ClientStatelessMessage = PingMessage;

export function encodeStateless(message: ServerStatelessMessage | ClientStatelessMessage): string {
  return JSON.stringify(message);
}

/** Parses a stateless payload from a client; returns null for anything unknown. */
export function decodeClientStateless(payload: string): ClientStatelessMessage | null {
  const message = parseObject(payload);
  if (message === null) return null;
  switch (message.type) {
    case 'ping':
      return isSequence(message.seq) ? { type: 'ping', v: numberOr(message.v, STATELESS_PROTOCOL_VERSION), seq: message.seq } : null;
    default:
      return null;
  }
}

function parseObject(payload: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null; // not ours: other extensions may use stateless messages too
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function isSequence(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
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
    case 'role-changed':
      return isRole(message.role) ? { type: 'role-changed', v: numberOr(message.v, 1), role: message.role } : null;
    case 'document-renamed':
      return typeof message.title === 'string' ? { type: 'document-renamed', v: numberOr(message.v, 1), title: message.title } : null;
    case 'document-deleted':
      return { type: 'document-deleted', v: numberOr(message.v, 1) };
    case 'pong':
      return isSequence(message.seq) ? { type: 'pong', v: numberOr(message.v, 1), seq: message.seq } : null;
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
