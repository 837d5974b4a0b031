import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { CloseCodes, decodeServerStateless, encodeStateless, fromBase64, STATELESS_PROTOCOL_VERSION, type ServerStatelessMessage } from '@copycloud/protocol';
import type { SyncTokenSource } from '../session/sync-token.js';
import { assertNever, isReadOnlyRole, type SocketState } from './connection-status.js';
import { DocumentNotices } from './document-notices.js';
import { DurabilityRecord, type KeyValueStorage } from './durability-record.js';
import { HEARTBEAT_CHECK_MS, heartbeatPong, heartbeatReset, heartbeatTick, initialHeartbeat } from './heartbeat.js';
import { decodeStateVector, stateVectorOf } from './pending-changes.js';
import { countUnsavedChanges } from './pending-edits.js';
import { SyncStatusStore } from './sync-status-store.js';
import { unsavedDraftText } from './unsaved-draft.js';

/**
 * Reconnect backoff (full jitter between min and the growing base delay).
 * Capped low so a client that was offline syncs within seconds of the node
 * coming back. The retry library rejects a base delay below the minimum.
 */
export const RECONNECT_BASE_DELAY_MS = 1_000;
export const RECONNECT_MIN_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 5_000;
/**
 * The provider closes a socket that received nothing for this long. Pongs
 * arrive every HEARTBEAT_INTERVAL_MS (heartbeat.ts) on a live one, so this only recycles
 * dead sockets (the library's default is 30 s).
 */
export const SILENT_SOCKET_TIMEOUT_MS = 5_000;

export interface OpenDocumentOptions {
  readonly documentId: string;
  /** ws(s)://host — the path and `?doc=` are added here. */
  readonly syncOrigin: string;
  readonly token: SyncTokenSource;
  /** Where the durability record lives (localStorage in the browser). */
  readonly storage: KeyValueStorage;
  /** `online`/`offline` events (the window in the browser); none = always online. */
  readonly network?: NetworkEvents;
}

/** One open document: its Y.Doc, local persistence, connection and save status. */
export interface DocumentSession {
  readonly documentId: string;
  readonly ydoc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly syncStatus: SyncStatusStore;
  /** What the node pushed about the document (a new name). */
  readonly notices: DocumentNotices;
  /** The text typed here that the node has not acknowledged as stored (see unsaved-draft.ts). */
  unsavedDraft(): string;
  destroy(): void;
}

/** The browser's network events, injected so the session can be driven without a window. */
export interface NetworkEvents {
  readonly onLine: boolean;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export function syncUrlFor(syncOrigin: string, documentId: string): string {
  // `doc` in the query lets a load balancer keep a document on one node.
  return `${syncOrigin}/sync?doc=${encodeURIComponent(documentId)}`;
}

export function syncOriginOf(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}

/**
 * Opens a document local-first: IndexedDB is loaded completely before the
 * provider exists, so the first sync step already carries our full state
 * vector and the node only sends (and we only upload) the difference. The
 * editor shows local content even when the node is unreachable.
 */
export async function openDocumentSession(options: OpenDocumentOptions): Promise<DocumentSession> {
  const { documentId } = options;
  const ydoc = new Y.Doc();
  const persistence = new IndexeddbPersistence(`copycloud:${documentId}`, ydoc);
  try {
    await persistence.whenSynced;
  } catch (error) {
    ydoc.destroy();
    throw error;
  }

  const record = new DurabilityRecord(options.storage, documentId);
  const syncStatus = new SyncStatusStore();
  const notices = new DocumentNotices();
  const pendingChanges = () => countUnsavedChanges(record.edits, stateVectorOf(ydoc), record.durable, record.localAuthors);

  const socket = new HocuspocusProviderWebsocket({
    url: syncUrlFor(options.syncOrigin, documentId),
    delay: RECONNECT_BASE_DELAY_MS,
    minDelay: RECONNECT_MIN_DELAY_MS,
    maxDelay: RECONNECT_MAX_DELAY_MS,
    messageReconnectTimeout: SILENT_SOCKET_TIMEOUT_MS,
  });
  // With maxAttempts 0 this only fires when the retry loop itself breaks
  // (e.g. invalid backoff options); the provider would otherwise stay
  // offline without a word.
  socket.on('maxAttemptsFailed', ({ error }: { error: unknown }) => {
    console.error('sync connection gave up reconnecting', error);
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: documentId,
    document: ydoc,
    token: () => options.token(documentId),
  });

  const onDocumentUpdate = (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    // `local` is true only for edits made in this tab (the editor, undo);
    // IndexedDB and the provider apply updates as remote transactions.
    if (transaction.local) {
      record.addLocalAuthor(ydoc.clientID);
      const id = ydoc.clientID;
      record.recordLocalEdit(id, transaction.beforeState.get(id) ?? 0, transaction.afterState.get(id) ?? 0, Date.now());
    }
    syncStatus.dispatch({ type: 'pending-changed', pendingChanges: pendingChanges() });
  };
  ydoc.on('update', onDocumentUpdate);

  provider.on('status', ({ status }: { status: WebSocketStatus }) => {
    heartbeat = heartbeatReset(heartbeat);
    syncStatus.dispatch({ type: 'socket-changed', socket: socketStateOf(status) });
  });
  provider.on('synced', ({ state }: { state: boolean }) => {
    if (state) syncStatus.dispatch({ type: 'initial-sync-done' });
  });
  // The node refused our token, or closed this document for us (a removed
  // member or deleted document is closed with reason Forbidden).
  provider.on('authenticated', ({ scope }: { scope: string }) => syncStatus.dispatch({ type: 'access-granted', writable: scope !== 'readonly' }));
  provider.on('authenticationFailed', () => syncStatus.dispatch({ type: 'access-denied' }));
  provider.on('close', ({ event }: { event: { reason?: string } }) => {
    if (event.reason === CloseCodes.Forbidden.reason) syncStatus.dispatch({ type: 'access-denied' });
  });
  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = decodeServerStateless(payload);
    if (message) handleServerMessage(message);
  });

  function handleServerMessage(message: ServerStatelessMessage): void {
    switch (message.type) {
      case 'saved':
        record.recordDurable(decodeStateVector(fromBase64(message.sv)));
        syncStatus.dispatch({ type: 'durable-ack', pendingChanges: pendingChanges() });
        return;
      case 'storage-error':
        syncStatus.dispatch({ type: 'storage-error', message: message.message });
        return;
      case 'role-changed': {
        const wasReadOnly = syncStatus.readOnlyByNode;
        syncStatus.dispatch({ type: 'role-changed', role: message.role });
        // Writable again: what the node dropped while we were read-only is
        // still in our document. A sync step 1 makes the node ask for it.
        if (wasReadOnly && !isReadOnlyRole(message.role)) provider.forceSync();
        return;
      }
      case 'document-renamed':
        notices.renamed(message.title);
        return;
      case 'document-deleted':
        syncStatus.dispatch({ type: 'document-deleted' });
        return;
      case 'pong': {
        const step = heartbeatPong(heartbeat);
        heartbeat = step.state;
        if (step.verdict === 'alive') syncStatus.dispatch({ type: 'heartbeat-answered' });
        return;
      }
      default:
        assertNever(message);
    }
  }

  // Heartbeat: only on a socket that is open and past the handshake.
  let heartbeat = initialHeartbeat;
  const heartbeatTimer = setInterval(() => {
    if (socket.status !== WebSocketStatus.Connected || !provider.isSynced) return;
    const step = heartbeatTick(heartbeat, Date.now());
    heartbeat = step.state;
    if (step.ping !== null) provider.sendStateless(encodeStateless({ type: 'ping', v: STATELESS_PROTOCOL_VERSION, seq: step.ping }));
    if (step.verdict === 'lost') syncStatus.dispatch({ type: 'heartbeat-lost' });
  }, HEARTBEAT_CHECK_MS);

  // The browser's network events: "Offline" at once, and a reconnect attempt as soon as it is back.
  const network = options.network;
  const onOffline = () => syncStatus.dispatch({ type: 'network-changed', network: 'offline' });
  const onOnline = () => {
    syncStatus.dispatch({ type: 'network-changed', network: 'online' });
    if (socket.status !== WebSocketStatus.Connected) void socket.connect();
  };
  if (network) {
    network.addEventListener('offline', onOffline);
    network.addEventListener('online', onOnline);
    if (!network.onLine) onOffline();
  }

  syncStatus.dispatch({ type: 'pending-changed', pendingChanges: pendingChanges() });
  provider.attach();
  syncStatus.dispatch({ type: 'socket-changed', socket: socketStateOf(socket.status) });

  return {
    documentId,
    ydoc,
    provider,
    syncStatus,
    notices,
    unsavedDraft: () => unsavedDraftText(ydoc, record.durable, record.localAuthors),
    destroy() {
      clearInterval(heartbeatTimer);
      network?.removeEventListener('offline', onOffline);
      network?.removeEventListener('online', onOnline);
      ydoc.off('update', onDocumentUpdate);
      provider.destroy();
      socket.destroy(); // we created the socket, so the provider leaves it to us
      persistence.destroy().catch((error: unknown) => console.error('closing IndexedDB failed', error));
      ydoc.destroy();
    },
  };
}

function socketStateOf(status: WebSocketStatus): SocketState {
  switch (status) {
    case WebSocketStatus.Connected:
      return 'connected';
    case WebSocketStatus.Connecting:
      return 'connecting';
    case WebSocketStatus.Disconnected:
      return 'disconnected';
    default:
      return assertNever(status);
  }
}
