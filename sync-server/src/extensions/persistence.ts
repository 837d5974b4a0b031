import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MessageType, type beforeHandleMessagePayload, type Connection, type Document, type Extension, type Hocuspocus, type onChangePayload, type onLoadDocumentPayload } from '@hocuspocus/server';
import { messageYjsSyncStep2 } from 'y-protocols/sync';
import { CorruptDocumentError, type DocumentStore } from '@copycloud/db';
import { CloseCodes, encodeStateless, toBase64, STATELESS_PROTOCOL_VERSION } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { classifyOrigin } from '../origins.js';
import { DurableClocks } from '../storage/durable-clocks.js';
import type { CommittedBatch, UpdateLogWriter } from '../storage/update-log-writer.js';

export interface PersistenceOptions {
  store: DocumentStore;
  writer: UpdateLogWriter;
  nodeId: string;
  logger: Logger;
  /** Without auth there is no create API: the first open creates the document. */
  createOnFirstOpen: boolean;
  /**
   * The durable vector grew past what a peer announced (its notice filled a
   * gap before ranges this node committed): peers should hear the new vector,
   * or their authors of those ranges would wait for an ack forever.
   */
  announceDurable?: (documentName: string) => void;
}

/** Per client, the clock an author's updates reach: what a `saved` must cover before the author stops being owed one. */
type Target = Map<number, number>;

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
 * durable: a "saved" stateless message carrying a state vector that covers
 * only what this node knows is in Postgres (see DurableClocks). Updates from
 * Redis are stored by the node that received them; they count as durable
 * here only once that node announces its commit (or this one takes them over).
 */
export class PersistenceExtension implements Extension {
  readonly extensionName = 'copycloud-persistence';
  /** Runs first, so updates are enqueued before slower hooks run. */
  readonly priority = 1000;

  /** Per document: what this node knows is committed. */
  private readonly durable = new Map<string, DurableClocks>();
  /** Per document: authors whose updates wait in the writer, with what their updates reach (acknowledged at the next commit). */
  private readonly pendingAuthors = new Map<string, Map<Connection, Target>>();
  /** Per document: authors of the batch being committed, owed an ack when it lands (or stays owed on retry). */
  private readonly cutAuthors = new Map<string, Map<Connection, Target>>();
  /**
   * Per document: connections owed each durability advance until it covers
   * their target. Those that joined while the node held updates not yet
   * durable (e.g. a peer's, unconfirmed: their own edits may be among them)
   * are owed what the document held when they joined; authors whose commit
   * the durable vector does not reach yet (a gap before it was committed by
   * a peer that has not announced it) are owed what their updates reach.
   */
  private readonly owed = new Map<string, Map<Connection, Target>>();
  private instance: Hocuspocus | undefined;

  constructor(private readonly options: PersistenceOptions) {}

  async onConfigure({ instance }: { instance: Hocuspocus }): Promise<void> {
    this.instance = instance;
  }

  /** Called by the writer when a batch is cut: its authors are owed an ack when it commits. */
  onBatchCut(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const authors = this.pendingAuthors.get(id);
      if (!authors) continue;
      this.pendingAuthors.delete(id);
      const cut = this.cutAuthors.get(id);
      if (cut) for (const [author, target] of authors) mergeTarget(cut, author, target);
      else this.cutAuthors.set(id, authors);
    }
  }

  /**
   * Called by the writer after a commit: the committed rows' clock ranges
   * become durable; acknowledge to the connections whose updates the batch
   * carried (only those: a document with hundreds of readers must not get a
   * message per commit per reader) and to connections still owed one.
   */
  onCommitted(batch: Pick<CommittedBatch, 'documentIds' | 'ranges'>): void {
    for (const id of batch.documentIds) {
      const clocks = this.durable.get(id);
      if (!clocks) continue;
      const ranges = batch.ranges.get(id);
      if (ranges) clocks.addRanges(ranges);
      const authors = this.cutAuthors.get(id);
      this.cutAuthors.delete(id);
      this.acknowledge(id, clocks, authors);
    }
  }

  /**
   * A peer node announced what it committed for a document (its own durable
   * vector). When that lets our vector reach past theirs (it filled the gap
   * before ranges we committed), we announce ours in turn: the peer's
   * authors of those ranges hear of them only through it.
   */
  onPeerDurable(documentName: string, stateVector: Uint8Array): void {
    const clocks = this.durable.get(documentName);
    if (!clocks) return;
    const announced = Y.decodeStateVector(stateVector);
    const advanced = clocks.addStateVector(announced);
    if (advanced.size === 0) return;
    this.acknowledge(documentName, clocks, undefined);
    for (const client of advanced) {
      if (clocks.get(client) > (announced.get(client) ?? 0)) {
        this.options.announceDurable?.(documentName);
        return;
      }
    }
  }

  /** The durable vector of a loaded document, for peers (encoded), or undefined. */
  durableStateVector(documentName: string): Uint8Array | undefined {
    return this.durable.get(documentName)?.encode();
  }

  private acknowledge(documentName: string, clocks: DurableClocks, authors: Map<Connection, Target> | undefined): void {
    let owed = this.owed.get(documentName);
    if (!authors?.size && !owed?.size) return;
    const document = this.instance?.documents.get(documentName);
    if (!document) return;
    const payload = encodeStateless({ type: 'saved', v: STATELESS_PROTOCOL_VERSION, sv: toBase64(clocks.encode()) });
    for (const [connection, target] of authors ?? []) {
      if (!document.hasConnection(connection)) continue;
      connection.sendStateless(payload);
      // Committed but not yet known durable up to its end (a peer stored what
      // comes before): owed each advance until it is, like a late joiner.
      if (!covers(clocks, target)) {
        if (!owed) this.owed.set(documentName, (owed = new Map()));
        mergeTarget(owed, connection, target);
      }
    }
    if (!owed) return;
    for (const [connection, target] of owed) {
      if (!document.hasConnection(connection)) {
        owed.delete(connection);
        continue;
      }
      if (!authors?.has(connection)) connection.sendStateless(payload);
      if (covers(clocks, target)) owed.delete(connection);
    }
    if (owed.size === 0) this.owed.delete(documentName);
  }

  onCommitFailed(documentIds: Set<string>, error: unknown): void {
    this.tellStorageError(documentIds, 'Changes are not saved yet: storage is unavailable, retrying');
    void error;
  }

  onCommitStalled(documentIds: Set<string>): void {
    this.tellStorageError(documentIds, 'Changes are not saved yet: storage is slow to answer, waiting');
  }

  private tellStorageError(documentIds: Set<string>, text: string): void {
    const payload = encodeStateless({ type: 'storage-error', v: STATELESS_PROTOCOL_VERSION, message: text });
    for (const id of documentIds) {
      const document = this.instance?.documents.get(id);
      if (!document) continue;
      for (const connection of document.getConnections()) connection.sendStateless(payload);
    }
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
    // Everything loaded came from Postgres.
    const clocks = new DurableClocks();
    clocks.addStateVector(stateVectorOf(document));
    this.durable.set(documentName, clocks);
  }

  async connected({ connection, documentName }: { connection: Connection; documentName: string }): Promise<void> {
    const clocks = this.durable.get(documentName);
    const document = this.instance?.documents.get(documentName);
    if (!clocks || !document) return;
    connection.sendStateless(encodeStateless({ type: 'saved', v: STATELESS_PROTOCOL_VERSION, sv: toBase64(clocks.encode()) }));
    const held = stateVectorOf(document);
    if (covers(clocks, held)) return;
    let owed = this.owed.get(documentName);
    if (!owed) this.owed.set(documentName, (owed = new Map()));
    owed.set(connection, held);
  }

  /**
   * A client's sync step 2 (what it has that we lacked when we answered its
   * step 1) may hold nothing new by the time it arrives: the same edits came
   * over Redis meanwhile (it typed them on another node before it moved
   * here). Applying it changes nothing, so it never makes the client an
   * author, and it joined before those edits arrived, so it is not owed for
   * them either. It is owed each advance until they are durable. Only step 2
   * is read (once per connect), never the per-keystroke updates, which are
   * new by construction; runs before validation consumes the payload.
   */
  async beforeHandleMessage({ update: frame, document, documentName, connection }: beforeHandleMessagePayload): Promise<void> {
    if (connection.readOnly) return;
    const step2 = syncStep2Of(frame);
    if (!step2) return;
    const clocks = this.durable.get(documentName);
    if (!clocks) return;
    let to: Map<number, number>;
    try {
      to = Y.parseUpdateMeta(step2).to;
    } catch {
      return; // malformed: validation refuses it and closes the connection
    }
    const held: Target = new Map();
    for (const [client, clock] of to) if (Y.getState(document.store, client) >= clock) held.set(client, clock);
    if (held.size === 0 || covers(clocks, held)) return;
    let owed = this.owed.get(documentName);
    if (!owed) this.owed.set(documentName, (owed = new Map()));
    mergeTarget(owed, connection, held);
  }

  async onChange({ update, documentName, transactionOrigin, connection }: onChangePayload): Promise<void> {
    const origin = classifyOrigin(transactionOrigin);
    switch (origin) {
      case 'connection':
        if (connection) {
          let authors = this.pendingAuthors.get(documentName);
          if (!authors) this.pendingAuthors.set(documentName, (authors = new Map()));
          mergeTarget(authors, connection, Y.parseUpdateMeta(update).to);
        }
        this.options.writer.enqueue({ documentId: documentName, update, originNode: this.options.nodeId });
        return;
      case 'local':
      case 'restore':
      case 'review':
      case 'ai':
        this.options.writer.enqueue({ documentId: documentName, update, originNode: this.options.nodeId });
        return;
      case 'redis':
        return; // the node that received it from its client stores it
      default: {
        // Never throws: nobody awaits this hook, a rejection would end the process.
        const unreachable: never = origin;
        this.options.logger.error({ documentName, origin: String(unreachable) }, 'update with an unknown origin not stored');
      }
    }
  }

  async beforeUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    await this.options.writer.flushDocument(documentName);
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    // A new copy may already be loaded (reconnect during unload): its records stay.
    if (this.instance?.documents.has(documentName) || this.instance?.loadingDocuments.has(documentName)) return;
    this.durable.delete(documentName);
    this.cutAuthors.delete(documentName);
    this.pendingAuthors.delete(documentName);
    this.owed.delete(documentName);
  }
}

function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/** The update of a Hocuspocus sync step 2 frame (a view into it), or undefined for any other frame. */
function syncStep2Of(frame: Uint8Array): Uint8Array | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder); // document address
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    if (decoding.readVarUint(decoder) !== messageYjsSyncStep2) return undefined;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return undefined; // the frame guard and Hocuspocus deal with malformed frames
  }
}

/** Raises `connection`'s target in `map` to also reach `target`. */
function mergeTarget(map: Map<Connection, Target>, connection: Connection, target: ReadonlyMap<number, number>): void {
  const known = map.get(connection);
  if (!known) {
    map.set(connection, new Map(target));
    return;
  }
  for (const [client, clock] of target) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
}

/** True when the durable clocks reach every client's clock in `vector`. */
function covers(clocks: DurableClocks, vector: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of vector) if (clocks.get(client) < clock) return false;
  return true;
}
