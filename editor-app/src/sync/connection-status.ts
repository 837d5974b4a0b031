import { canEditContent, type Role } from '@copycloud/protocol';

/**
 * The client's view of one document's connection, as one explicit state
 * machine: provider and server events go in through `reduceConnection`, and
 * `syncStatusOf` derives the single status the UI shows. Pure, so every
 * transition is unit-tested without a browser.
 */

/** What the WebSocket is doing (mirrors the provider's WebSocketStatus). */
export type SocketState = 'disconnected' | 'connecting' | 'connected';

export interface ConnectionContext {
  readonly socket: SocketState;
  /** The Yjs handshake with the node completed on the current socket. */
  readonly initialSyncDone: boolean;
  /** Local changes not yet confirmed durable in Postgres (see pending-changes.ts). */
  readonly pendingChanges: number;
  /** Last storage error the node reported, until a later `saved` clears it. */
  readonly storageError: string | null;
  /** Whether the node let us into this document: unknown until it answers our token. */
  readonly access: DocumentAccess;
  /** The browser's own idea of the network (`online`/`offline` events). */
  readonly network: NetworkState;
  /** The node stopped answering our heartbeat on a socket that still looks open. */
  readonly heartbeatLost: boolean;
  /**
   * The role the node told us while this page was open (`role-changed`), or
   * null when it said nothing yet (the API's role applies). Cleared when a
   * reconnect grants a different kind of access (the token carries the truth).
   */
  readonly liveRole: Role | null;
  /** The owner deleted the document while it was open. */
  readonly deleted: boolean;
}

export type NetworkState = 'online' | 'offline';

/** The node's answer to our document token; `denied` also covers a live revocation. */
export type DocumentAccess = 'unknown' | 'granted' | 'denied';

export type ConnectionEvent =
  | { readonly type: 'socket-changed'; readonly socket: SocketState }
  | { readonly type: 'initial-sync-done' }
  | { readonly type: 'pending-changed'; readonly pendingChanges: number }
  | { readonly type: 'durable-ack'; readonly pendingChanges: number }
  | { readonly type: 'storage-error'; readonly message: string }
  /** `writable` is the node's answer on (re)connect: false = read-only scope. */
  | { readonly type: 'access-granted'; readonly writable?: boolean }
  | { readonly type: 'access-denied' }
  | { readonly type: 'network-changed'; readonly network: NetworkState }
  | { readonly type: 'heartbeat-lost' }
  | { readonly type: 'heartbeat-answered' }
  | { readonly type: 'role-changed'; readonly role: Role }
  | { readonly type: 'document-deleted' };

/** What the status badge shows. */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'saved' | 'not-saved' | 'read-only' | 'no-access' | 'deleted';

export const initialConnectionContext: ConnectionContext = {
  socket: 'connecting',
  initialSyncDone: false,
  pendingChanges: 0,
  storageError: null,
  access: 'unknown',
  network: 'online',
  heartbeatLost: false,
  liveRole: null,
  deleted: false,
};

/** Viewers and commenters cannot change the text (the node drops their updates): the protocol's editing rule. */
export function isReadOnlyRole(role: Role): boolean {
  return !canEditContent(role);
}

export function reduceConnection(context: ConnectionContext, event: ConnectionEvent): ConnectionContext {
  switch (event.type) {
    case 'socket-changed':
      // A new socket needs a new handshake before we can call anything saved.
      return {
        ...context,
        socket: event.socket,
        initialSyncDone: event.socket === 'connected' && context.socket === 'connected' ? context.initialSyncDone : false,
        // A new socket starts a new heartbeat.
        heartbeatLost: event.socket === 'connected' && context.socket === 'connected' ? context.heartbeatLost : false,
      };
    case 'initial-sync-done':
      return context.socket === 'connected' ? { ...context, initialSyncDone: true } : context;
    case 'pending-changed':
      return { ...context, pendingChanges: event.pendingChanges };
    case 'durable-ack':
      // The node committed a batch, so storage works again.
      return { ...context, pendingChanges: event.pendingChanges, storageError: null };
    case 'storage-error':
      return { ...context, storageError: event.message };
    case 'access-granted': {
      // A reconnect's token carries the current role: a pushed role that disagrees is stale.
      const stale = event.writable !== undefined && context.liveRole !== null && isReadOnlyRole(context.liveRole) === event.writable;
      return { ...context, access: 'granted', liveRole: stale ? null : context.liveRole };
    }
    case 'access-denied':
      return { ...context, access: 'denied', initialSyncDone: false };
    case 'network-changed':
      return { ...context, network: event.network };
    case 'heartbeat-lost':
      return context.socket === 'connected' ? { ...context, heartbeatLost: true } : context;
    case 'heartbeat-answered':
      return { ...context, heartbeatLost: false };
    case 'role-changed':
      return { ...context, liveRole: event.role };
    case 'document-deleted':
      return { ...context, deleted: true };
    default:
      return assertNever(event);
  }
}

export function syncStatusOf(context: ConnectionContext): SyncStatus {
  if (context.deleted) return 'deleted';
  // Refused or revoked: nothing will sync until someone shares the document again.
  if (context.access === 'denied') return 'no-access';
  // The browser says there is no network, or the node stopped answering: say so at once.
  if (context.network === 'offline' || context.heartbeatLost) return 'offline';
  switch (context.socket) {
    case 'disconnected':
      return 'offline';
    case 'connecting':
      return 'connecting';
    case 'connected':
      if (context.storageError !== null) return 'not-saved';
      // Demoted while typing: what the node refused stays here as a draft, never "Saving…" forever.
      if (context.liveRole !== null && isReadOnlyRole(context.liveRole)) return context.pendingChanges > 0 ? 'not-saved' : 'read-only';
      if (!context.initialSyncDone || context.pendingChanges > 0) return 'syncing';
      return 'saved';
    default:
      return assertNever(context.socket);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
