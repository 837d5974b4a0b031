import type { AppendedUpdate, DocumentStore } from '@copycloud/db';
import type { Logger } from '@copycloud/observability';
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
  /** Called synchronously when a batch is cut, before the commit starts. */
  onBatchCut?: (documentIds: Set<string>) => void;
  onCommitted?: (batch: CommittedBatch, latenciesMs: number[]) => void;
  onCommitFailed?: (error: unknown, documentIds: Set<string>) => void;
}

/**
 * Group commit for the update log: updates queue in memory and are appended
 * in one transaction per batch. A failed commit keeps its batch at the head of
 * the queue and retries with backoff, so Postgres being away for a while costs
 * latency, never updates. One commit runs at a time, which keeps each
 * document's updates in receipt order.
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

  constructor(private readonly options: UpdateLogWriterOptions) {}

  get backlog(): number {
    return this.queue.length + this.inFlight.length;
  }

  enqueue(update: AppendedUpdate): void {
    if (this.closed) throw new Error('update log writer is closed; refusing update for ' + update.documentId);
    this.queue.push({ ...update, receivedAt: performance.now() });
    this.enqueued += 1;
    const max = this.options.maxBatchUpdates ?? 1_000;
    if (this.queue.length >= max) this.kick(0);
    else this.kick(this.options.batchMs);
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
    const pending = this.queue.some((u) => u.documentId === documentId) || this.inFlight.some((u) => u.documentId === documentId);
    return pending ? this.flush() : Promise.resolve();
  }

  /** Flushes and refuses further updates. */
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
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.queue.length > 0) this.kick(this.retryDelayMs || this.options.batchMs);
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      this.inFlight = this.queue;
      this.queue = [];
      const batch = this.inFlight;
      const documentIds = new Set(batch.map((u) => u.documentId));
      this.options.onBatchCut?.(documentIds);
      try {
        await this.options.store.append(mergePerDocument(batch));
      } catch (error) {
        // Put the batch back in front and back off; nothing is dropped.
        this.queue = batch.concat(this.queue);
        this.inFlight = [];
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 50), this.options.maxRetryDelayMs ?? 1_000);
        this.options.logger.error(
          { err: error, updates: batch.length, documents: documentIds.size, retryInMs: this.retryDelayMs },
          'update log append failed; will retry',
        );
        this.options.onCommitFailed?.(error, documentIds);
        return;
      }
      this.retryDelayMs = 0;
      this.inFlight = [];
      this.committed += batch.length;
      const now = performance.now();
      const latencies = batch.map((u) => now - u.receivedAt);
      this.options.onCommitted?.(
        { documentIds, updates: batch.length, oldestAgeMs: Math.max(...latencies) },
        latencies,
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
    rows.push({
      documentId,
      originNode: first.originNode,
      update: updates.length === 1 ? first.update : mergeUpdatesBalanced(updates.map((u) => u.update)),
    });
  }
  return rows;
}
