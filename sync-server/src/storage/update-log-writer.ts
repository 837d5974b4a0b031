import type { AppendedUpdate, DocumentStore, QuarantinedUpdate } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
import { validateUpdate, type ClockRanges } from '@copycloud/update-validation';
import { mergeUpdatesBalanced } from './merge-updates.js';

export interface PendingUpdate extends AppendedUpdate {
  /** When the node received it, for the receipt-to-commit latency. */
  receivedAt: number;
}

export interface CommittedBatch {
  /** Documents with at least one update in the batch. */
  documentIds: Set<string>;
  updates: number;
  /** Milliseconds from the oldest receipt in the batch to commit. */
  oldestAgeMs: number;
  /** Per document: the clock ranges now in the log (what a durable state vector may claim). */
  ranges: Map<string, ClockRanges>;
  /** Rows refused by validation and kept in the quarantine table instead of the log. */
  quarantined: number;
}

export interface UpdateLogWriterOptions {
  store: DocumentStore;
  logger: Logger;
  /** Wait this long after the first pending update, so one commit carries many. */
  batchMs: number;
  /** Start a commit early once this many updates wait. */
  maxBatchUpdates?: number;
  /** Retry delays after a failed commit grow to this bound. */
  maxRetryDelayMs?: number;
  /**
   * Updates one document may have waiting before its sockets stop being read
   * (backpressure): `onPressure(id, true)`; below half of it, `(id, false)`.
   */
  maxDocumentBacklog?: number;
  /**
   * Called synchronously just before a batch is cut, with the documents it
   * will carry: what it enqueues goes into that same batch.
   */
  beforeBatchCut?: (documentIds: Set<string>) => void;
  /** Called synchronously when a batch is cut, before the commit starts. */
  onBatchCut?: (documentIds: Set<string>) => void;
  onCommitted?: (batch: CommittedBatch, latenciesMs: number[]) => void;
  onCommitFailed?: (error: unknown, documentIds: Set<string>) => void;
  /** A commit has been waiting on storage this long (a stalled network, a slow server): tell the authors. */
  stallNoticeMs?: number;
  onCommitStalled?: (documentIds: Set<string>) => void;
  onPressure?: (documentId: string, overloaded: boolean) => void;
}

export const DEFAULT_MAX_DOCUMENT_BACKLOG = 20_000;
/** A commit this slow is not "a few ms late": authors hear that saving is delayed. */
export const DEFAULT_STALL_NOTICE_MS = 2_000;

/**
 * Group commit for the update log: updates queue in memory and are appended
 * in one statement per batch. A failed commit keeps its batch at the head of
 * the queue and retries with backoff, so Postgres being away for a while costs
 * latency, never updates; a document whose backlog grows past a bound asks
 * for its sockets to be paused rather than queueing without end. One commit
 * runs at a time, which keeps each document's updates in receipt order.
 */
export class UpdateLogWriter {
  private queue: PendingUpdate[] = [];
  private inFlight: PendingUpdate[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private retryDelayMs = 0;
  private waiters: Array<{ until: number; resolve: () => void }> = [];
  /** Sequence numbers: every enqueued update gets one; `committed` is the highest durable. */
  private enqueued = 0;
  private committed = 0;
  private closed = false;
  /** Updates waiting (queued or in flight) per document, and the documents under backpressure. */
  private readonly waiting = new Map<string, number>();
  private readonly overloaded = new Set<string>();
  private readonly maxDocumentBacklog: number;

  constructor(private readonly options: UpdateLogWriterOptions) {
    this.maxDocumentBacklog = options.maxDocumentBacklog ?? DEFAULT_MAX_DOCUMENT_BACKLOG;
  }

  get backlog(): number {
    return this.queue.length + this.inFlight.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Queues an update. Never throws: it is called from document hooks nobody
   * awaits. Returns false (and stores nothing) once the writer is closed;
   * shutdown stops every source of updates before it closes the writer.
   */
  enqueue(update: AppendedUpdate): boolean {
    if (this.closed) {
      this.options.logger.error({ documentName: update.documentId }, 'update log writer is closed; update not stored by this node');
      return false;
    }
    this.queue.push({ ...update, receivedAt: performance.now() });
    this.enqueued += 1;
    const waiting = (this.waiting.get(update.documentId) ?? 0) + 1;
    this.waiting.set(update.documentId, waiting);
    if (waiting >= this.maxDocumentBacklog && !this.overloaded.has(update.documentId)) {
      this.overloaded.add(update.documentId);
      this.options.logger.warn({ documentName: update.documentId, waiting }, 'update log backlog over its bound; pausing the document\'s sockets');
      this.notify(() => this.options.onPressure?.(update.documentId, true));
    }
    const max = this.options.maxBatchUpdates ?? 1_000;
    if (this.queue.length >= max) this.kick(0);
    else this.kick(this.options.batchMs);
    return true;
  }

  /** Resolves once everything enqueued before the call is committed. */
  flush(): Promise<void> {
    const until = this.enqueued;
    if (this.committed >= until) return Promise.resolve();
    this.kick(0);
    return new Promise((resolve) => this.waiters.push({ until, resolve }));
  }

  /** Resolves when every pending update of `documentId` is committed. */
  flushDocument(documentId: string): Promise<void> {
    return this.waiting.has(documentId) ? this.flush() : Promise.resolve();
  }

  /** Flushes and refuses further updates. Callers stop every source of updates first. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(delayMs: number): void {
    if (this.running) return; // the running loop picks the queue up when done
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.drain()
        .catch((error: unknown) => {
          // drain() handles append failures itself; anything else is a bug, but
          // must not kill the process or strand flush() waiters: retry later.
          this.options.logger.error({ err: error }, 'update log drain failed unexpectedly; will retry');
          this.retryDelayMs = Math.max(this.retryDelayMs, 1_000);
        })
        .finally(() => {
          this.running = undefined;
          if (this.queue.length > 0) this.kick(this.retryDelayMs || this.options.batchMs);
        });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const cutting = new Set(this.queue.map((u) => u.documentId));
      this.notify(() => this.options.beforeBatchCut?.(cutting));
      this.inFlight = this.queue;
      this.queue = [];
      const batch = this.inFlight;
      const documentIds = new Set(batch.map((u) => u.documentId));
      this.notify(() => this.options.onBatchCut?.(documentIds));
      const { rows, quarantined, ranges } = checkRows(mergePerDocument(batch));
      const stall = setTimeout(
        () => this.notify(() => this.options.onCommitStalled?.(documentIds)),
        this.options.stallNoticeMs ?? DEFAULT_STALL_NOTICE_MS,
      );
      try {
        await this.options.store.append(rows, quarantined);
      } catch (error) {
        // Put the batch back in front and back off; nothing is dropped.
        this.queue = batch.concat(this.queue);
        this.inFlight = [];
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 50), this.options.maxRetryDelayMs ?? 1_000);
        this.options.logger.error(
          { err: error, updates: batch.length, documents: documentIds.size, retryInMs: this.retryDelayMs },
          'update log append failed; will retry',
        );
        this.notify(() => this.options.onCommitFailed?.(error, documentIds));
        return;
      } finally {
        clearTimeout(stall);
      }
      for (const row of quarantined) {
        this.options.logger.error({ documentName: row.documentId, reason: row.reason }, 'update refused by validation: quarantined instead of logged');
      }
      this.retryDelayMs = 0;
      this.inFlight = [];
      this.committed += batch.length;
      this.release(batch);
      const now = performance.now();
      const latencies = new Array<number>(batch.length);
      let oldestAgeMs = 0;
      for (let i = 0; i < batch.length; i++) {
        latencies[i] = now - batch[i]!.receivedAt;
        if (latencies[i]! > oldestAgeMs) oldestAgeMs = latencies[i]!;
      }
      this.notify(() =>
        this.options.onCommitted?.({ documentIds, updates: batch.length, oldestAgeMs, ranges, quarantined: quarantined.length }, latencies),
      );
      this.waiters = this.waiters.filter((w) => {
        if (w.until <= this.committed) {
          w.resolve();
          return false;
        }
        return true;
      });
    }
  }

  /** Committed updates no longer wait; documents back under half the bound are read again. */
  private release(batch: readonly PendingUpdate[]): void {
    for (const { documentId } of batch) {
      const left = (this.waiting.get(documentId) ?? 1) - 1;
      if (left > 0) this.waiting.set(documentId, left);
      else this.waiting.delete(documentId);
    }
    for (const documentId of this.overloaded) {
      if ((this.waiting.get(documentId) ?? 0) > this.maxDocumentBacklog / 2) continue;
      this.overloaded.delete(documentId);
      this.options.logger.info({ documentName: documentId }, 'update log backlog drained; resuming the document\'s sockets');
      this.notify(() => this.options.onPressure?.(documentId, false));
    }
  }

  /** Listeners run in the writer's loop: one that throws is logged, never breaks a commit. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error({ err: error }, 'update log listener failed');
    }
  }
}

/**
 * Every row is checked before it is appended: a row that would not re-apply
 * would make the stored document unopenable, so it goes to the quarantine
 * table instead (inputs are validated on arrival; this is the last line).
 */
function checkRows(rows: AppendedUpdate[]): { rows: AppendedUpdate[]; quarantined: QuarantinedUpdate[]; ranges: Map<string, ClockRanges> } {
  const good: AppendedUpdate[] = [];
  const quarantined: QuarantinedUpdate[] = [];
  const ranges = new Map<string, ClockRanges>();
  for (const row of rows) {
    const verdict = validateUpdate(row.update);
    if (verdict.ok) {
      good.push(row);
      const known = ranges.get(row.documentId);
      if (!known) ranges.set(row.documentId, verdict.ranges);
      else for (const [client, list] of verdict.ranges) known.set(client, [...(known.get(client) ?? []), ...list]);
    } else {
      quarantined.push({ ...row, reason: verdict.problem });
    }
  }
  return { rows: good, quarantined, ranges };
}

/**
 * One log row per document per commit: a burst of keystrokes becomes one
 * merged Yjs update instead of hundreds of rows, so Postgres' work grows with
 * commits, not with edits. Merging is exact (a merged update applies as its
 * parts would) and keeps updates whose dependencies are missing.
 */
export function mergePerDocument(batch: readonly PendingUpdate[]): AppendedUpdate[] {
  const byDocument = new Map<string, PendingUpdate[]>();
  for (const update of batch) {
    const list = byDocument.get(update.documentId);
    if (list) list.push(update);
    else byDocument.set(update.documentId, [update]);
  }
  const rows: AppendedUpdate[] = [];
  for (const [documentId, updates] of byDocument) {
    const first = updates[0]!;
    if (updates.length === 1) {
      rows.push({ documentId, originNode: first.originNode, update: first.update });
      continue;
    }
    try {
      rows.push({ documentId, originNode: first.originNode, update: mergeUpdatesBalanced(updates.map((u) => u.update)) });
    } catch {
      // An update Yjs cannot merge: keep each as its own row, so the bad one
      // alone is quarantined and the others are stored.
      for (const u of updates) rows.push({ documentId, originNode: u.originNode, update: u.update });
    }
  }
  return rows;
}
