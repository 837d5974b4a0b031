import * as Y from 'yjs';
import type { Connection, Document, Extension, Hocuspocus, onChangePayload, onLoadDocumentPayload } from '@hocuspocus/server';
import { CorruptDocumentError, type DocumentStore } from '@copycloud/db';
import { CloseCodes, encodeStateless, toBase64, STATELESS_PROTOCOL_VERSION } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { classifyOrigin } from '../origins.js';
import type { UpdateLogWriter } from '../storage/update-log-writer.js';

export interface PersistenceOptions {
  store: DocumentStore;
  writer: UpdateLogWriter;
  nodeId: string;
  logger: Logger;
  /** Without auth there is no create API: the first open creates the document. */
  createOnFirstOpen: boolean;
}

/** Thrown from onLoadDocument; Hocuspocus forwards `reason` to the client. */
class DocumentLoadError extends Error {
  readonly reason: string;
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Loads documents from Postgres and appends every update that originates on
 * this node to the update log, then tells the authors their changes are
 * durable ("saved" stateless message carrying the state vector that is now in
 * Postgres). Updates from Redis are stored by the node that received them.
 */
export class PersistenceExtension implements Extension {
  readonly extensionName = 'copycloud-persistence';
  /** Runs first, so updates are enqueued before slower hooks run. */
  readonly priority = 1000;

  /** Per document: what a batch contained when it was cut, and whose updates it carried. */
  private readonly cuts = new Map<string, { sv: Uint8Array; authors: Set<Connection> }>();
  /** Per document: connections whose updates wait in the next batch. */
  private readonly pendingAuthors = new Map<string, Set<Connection>>();
  /** Last state vector known to be durable, per document, for newly connected clients. */
  private readonly durableStateVectors = new Map<string, Uint8Array>();
  private instance: Hocuspocus | undefined;

  constructor(private readonly options: PersistenceOptions) {}

  async onConfigure({ instance }: { instance: Hocuspocus }): Promise<void> {
    this.instance = instance;
  }

  /** Called by the writer when a batch is cut: remember what each document contained then. */
  onBatchCut(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const document = this.instance?.documents.get(id);
      if (!document) continue;
      const authors = this.pendingAuthors.get(id) ?? new Set<Connection>();
      this.pendingAuthors.delete(id);
      // Authors of a batch that has not committed yet (a retry) stay owed an ack.
      for (const author of this.cuts.get(id)?.authors ?? []) authors.add(author);
      this.cuts.set(id, { sv: Y.encodeStateVector(document), authors });
    }
  }

  /**
   * Called by the writer after a commit: acknowledge durability to the
   * connections whose updates the batch carried (only those: a document with
   * hundreds of readers must not get a message per commit per reader).
   */
  onCommitted(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const cut = this.cuts.get(id);
      const document = this.instance?.documents.get(id);
      if (!cut || !document) continue;
      this.cuts.delete(id);
      this.durableStateVectors.set(id, cut.sv);
      const payload = encodeStateless({ type: 'saved', v: STATELESS_PROTOCOL_VERSION, sv: toBase64(cut.sv) });
      for (const connection of cut.authors) if (document.hasConnection(connection)) connection.sendStateless(payload);
    }
  }

  onCommitFailed(documentIds: Set<string>, error: unknown): void {
    const payload = encodeStateless({
      type: 'storage-error',
      v: STATELESS_PROTOCOL_VERSION,
      message: 'Changes are not saved yet: storage is unavailable, retrying',
    });
    for (const id of documentIds) {
      const document = this.instance?.documents.get(id);
      if (!document) continue;
      for (const connection of document.getConnections()) connection.sendStateless(payload);
    }
    void error;
  }

  async onLoadDocument({ documentName }: onLoadDocumentPayload): Promise<Uint8Array | undefined> {
    const { store, writer, logger } = this.options;
    const log = logger.child({ documentName });
    // A reconnect can race the unload of the previous copy: make sure its
    // pending updates are in Postgres before we read them back.
    await writer.flushDocument(documentName);
    try {
      if (this.options.createOnFirstOpen) await store.ensureDocument(documentName);
      const started = performance.now();
      const state = await store.loadMerged(documentName);
      if (state === null) {
        throw new DocumentLoadError(`document ${documentName} does not exist`, 'Document not found');
      }
      log.debug({ bytes: state.byteLength, ms: performance.now() - started }, 'document loaded');
      return state;
    } catch (error) {
      if (error instanceof DocumentLoadError) throw error;
      log.error({ err: error }, 'document could not be loaded');
      const reason = error instanceof CorruptDocumentError ? 'Document is corrupt' : CloseCodes.DocumentUnavailable.reason;
      throw new DocumentLoadError(`document ${documentName} could not be loaded`, reason, { cause: error });
    }
  }

  async afterLoadDocument({ document, documentName }: { document: Document; documentName: string }): Promise<void> {
    this.durableStateVectors.set(documentName, Y.encodeStateVector(document));
  }

  async connected({ connection, documentName }: { connection: { sendStateless(p: string): void }; documentName: string }): Promise<void> {
    const sv = this.durableStateVectors.get(documentName);
    if (sv) connection.sendStateless(encodeStateless({ type: 'saved', v: STATELESS_PROTOCOL_VERSION, sv: toBase64(sv) }));
  }

  async onChange({ update, documentName, transactionOrigin, connection }: onChangePayload): Promise<void> {
    const origin = classifyOrigin(transactionOrigin);
    switch (origin) {
      case 'connection':
        if (connection) {
          let authors = this.pendingAuthors.get(documentName);
          if (!authors) this.pendingAuthors.set(documentName, (authors = new Set()));
          authors.add(connection);
        }
        this.options.writer.enqueue({ documentId: documentName, update, originNode: this.options.nodeId });
        return;
      case 'local':
      case 'restore':
      case 'ai':
        this.options.writer.enqueue({ documentId: documentName, update, originNode: this.options.nodeId });
        return;
      case 'redis':
        return; // the node that received it from its client stores it
      default: {
        const unreachable: never = origin;
        throw new Error(`unhandled origin ${String(unreachable)}`);
      }
    }
  }

  async beforeUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    await this.options.writer.flushDocument(documentName);
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.durableStateVectors.delete(documentName);
    this.cuts.delete(documentName);
    this.pendingAuthors.delete(documentName);
  }
}
