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
}

/** The node's answer to our document token; `denied` also covers a live revocation. */
export type DocumentAccess = 'unknown' | 'granted' | 'denied';

export type ConnectionEvent =
  | { readonly type: 'socket-changed'; readonly socket: SocketState }
  | { readonly type: 'initial-sync-done' }
  | { readonly type: 'pending-changed'; readonly pendingChanges: number }
  | { readonly type: 'durable-ack'; readonly pendingChanges: number }
  | { readonly type: 'storage-error'; readonly message: string }
  | { readonly type: 'access-granted' }
  | { readonly type: 'access-denied' };

/** What the status badge shows. */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'saved' | 'not-saved' | 'no-access';

export const initialConnectionContext: ConnectionContext = {
  socket: 'connecting',
  initialSyncDone: false,
  pendingChanges: 0,
  storageError: null,
  access: 'unknown',
};

export function reduceConnection(context: ConnectionContext, event: ConnectionEvent): ConnectionContext {
  switch (event.type) {
    case 'socket-changed':
      // A new socket needs a new handshake before we can call anything saved.
      return {
        ...context,
        socket: event.socket,
        initialSyncDone: event.socket === 'connected' && context.socket === 'connected' ? context.initialSyncDone : false,
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
    case 'access-granted':
      return { ...context, access: 'granted' };
    case 'access-denied':
      return { ...context, access: 'denied', initialSyncDone: false };
    default:
      return assertNever(event);
  }
}

export function syncStatusOf(context: ConnectionContext): SyncStatus {
  // Refused or revoked: nothing will sync until someone shares the document again.
  if (context.access === 'denied') return 'no-access';
  switch (context.socket) {
    case 'disconnected':
      return 'offline';
    case 'connecting':
      return 'connecting';
    case 'connected':
      if (context.storageError !== null) return 'not-saved';
      if (!context.initialSyncDone || context.pendingChanges > 0) return 'syncing';
      return 'saved';
    default:
      return assertNever(context.socket);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
