import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  Document,
  Extension,
  Hocuspocus,
  onAwarenessUpdatePayload,
  onChangePayload,
  onConfigurePayload,
  RedisTransactionOrigin,
} from '@hocuspocus/server';
import type { Logger } from '@copycloud/observability';
import { classifyOrigin } from '../origins.js';
import { mergeUpdatesBalanced } from '../storage/merge-updates.js';
import { assessDigest, digestMessage, isShared, lacksSomething } from './anti-entropy.js';
import { type ClusterMetrics, clusterKindLabel } from './cluster-metrics.js';
import { DurableNotices } from './durable-notices.js';
import { Outbox } from './outbox.js';
import { type ClusterScheduler, realScheduler } from './scheduler.js';
import { SequenceTracker } from './sequence-tracker.js';
import { type TakenUpdates, UnconfirmedLedger } from './unconfirmed-ledger.js';
import type { ClusterTransport } from './transport.js';
import { ClusterMessageKind, decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from './wire.js';

/** How often a document shared with other nodes exchanges a state digest (anti-entropy). */
export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = 10_000;
/** Updates a peer sent but has not confirmed durable are stored by us after this long (the peer likely died). */
export const DEFAULT_TAKEOVER_AFTER_MS = 3_000;

export interface ClusterFanoutOptions {
  /** How frames reach the other nodes (redis-transport.ts; in-memory-transport.ts in protocol tests). */
  transport: ClusterTransport;
  nodeId: string;
  logger: Logger;
  metrics: ClusterMetrics;
  antiEntropyIntervalMs?: number;
  takeoverAfterMs?: number;
  /** Clock and timers; real ones unless a test steps time by hand. */
  scheduler?: ClusterScheduler;
  /** Where updates are stored when their origin node cannot (see takeover). */
  writer: { enqueue(update: { documentId: string; update: Uint8Array; originNode: string }): unknown };
  /**
   * What this node knows is committed, per document, announced with each
   * Durable notice; peers' announcements are handed back. Lets a node
   * acknowledge a failed-over author's edits once the edits' own node
   * committed them, without ever claiming what only sits in memory.
   */
  durability?: {
    stateVector(documentName: string): Uint8Array | undefined;
    onPeerDurable(documentName: string, stateVector: Uint8Array): void;
  };
}

/** What this node knows about a document it has loaded. */
interface DocumentLink {
  document: Document;
  /** Our Updates' seq (and how far they are cut and committed), the highest received per peer. */
  sequence: SequenceTracker;
  lastPeerSeenAt: number;
  /** Tells peers what of ours is committed. */
  durable: DurableNotices;
  /** Our updates applied this event-loop turn, published together (one message) at its end. */
  outbox: Outbox;
  /** Peers' updates not yet confirmed durable by their sender. */
  unconfirmed: UnconfirmedLedger;
}

const REDIS_ORIGIN: RedisTransactionOrigin = { source: 'redis' };

/** Why peers' unconfirmed updates are stored here: they aged out, or a batch of ours depends on them. */
type TakeoverReason = 'unconfirmed' | 'dependency';

/**
 * Cross-node fan-out of document updates and awareness, replacing
 * @hocuspocus/extension-redis; the transport is Redis pub/sub in production
 * (redis-fanout.ts). This class ties the parts to Hocuspocus' document
 * lifecycle and to the update log: outbox.ts (what we publish),
 * sequence-tracker.ts (gaps), anti-entropy.ts (digests),
 * unconfirmed-ledger.ts (peers' updates not yet durable), durable-notices.ts
 * (telling peers what of ours is committed).
 *
 * The stock extension publishes a SyncStep1 (a state vector) on every change
 * and every peer answers with a SyncStep2 — two Redis hops per edit, work on
 * every node, and a reply that carries the whole delete set (~120 KB per
 * keystroke on a long-history document). Here the update itself is published
 * (one hop, bytes proportional to the edit). Pub/sub may lose messages, so:
 * - every update carries a per-document sequence number per sending process;
 *   a gap makes the receiver ask the sender for a state-vector diff;
 * - a document shared by several nodes exchanges a digest of its full state
 *   (state vector + delete set) every `antiEntropyIntervalMs`, carrying the
 *   last seq too, so trailing losses and lost deletions heal as well;
 * - after a Redis reconnect every loaded document says hello again (state
 *   vector exchange).
 * Durability across a node's death: a receiver keeps each peer update until
 * the sender says it is committed (a `durableSeq` on its next update, or a
 * standalone Durable notice); what stays unconfirmed for `takeoverAfterMs`
 * (the sender died between publish and commit) the receiver stores itself.
 * Publishes never queue while Redis is away: the node keeps serving its own
 * clients and heals after reconnect. A channel is subscribed only while its
 * document is loaded.
 */
export class ClusterFanout implements Extension {
  readonly extensionName = 'copycloud-redis-fanout';
  /** After persistence (1000) and auth (900): publish what the node accepted. */
  readonly priority = 500;

  /** Unique per process, so a restarted node starts a fresh sequence. */
  readonly senderId: string;
  private readonly transport: ClusterTransport;
  private readonly links = new Map<string, DocumentLink>();
  private instance: Hocuspocus | undefined;
  private readonly scheduler: ClusterScheduler;
  private readonly stopTimers: Array<() => void>;
  private readonly intervalMs: number;
  private readonly takeoverAfterMs: number;
  private closed = false;

  constructor(private readonly options: ClusterFanoutOptions) {
    this.senderId = `${options.nodeId}/${randomUUID().slice(0, 8)}`;
    this.intervalMs = options.antiEntropyIntervalMs ?? DEFAULT_ANTI_ENTROPY_INTERVAL_MS;
    this.takeoverAfterMs = options.takeoverAfterMs ?? DEFAULT_TAKEOVER_AFTER_MS;
    this.transport = options.transport;
    this.transport.listen({ frame: (documentName, frame) => this.receive(documentName, frame), reconnected: () => this.heal() });
    const scheduler = (this.scheduler = options.scheduler ?? realScheduler);
    this.stopTimers = [
      scheduler.every(this.intervalMs, () => this.antiEntropyTick()),
      scheduler.every(Math.max(100, Math.floor(this.takeoverAfterMs / 3)), () => {
        for (const [name, link] of this.links) if (link.unconfirmed.senders > 0) this.takeOver(name, link, scheduler.now() - this.takeoverAfterMs);
      }),
    ];
  }

  get subscribedDocuments(): number {
    return this.links.size;
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    const sequence = new SequenceTracker();
    const link: DocumentLink = {
      document,
      sequence,
      lastPeerSeenAt: 0,
      durable: new DurableNotices(sequence, this.scheduler, (notice) =>
        this.publish(documentName, { kind: ClusterMessageKind.Durable, sender: this.senderId, target: '', ...notice }),
      ),
      outbox: new Outbox(() => this.flushOutbox(documentName, link), (run) => this.scheduler.defer(run)),
      unconfirmed: new UnconfirmedLedger(),
    };
    this.links.set(documentName, link);
    try {
      await this.transport.subscribe(documentName);
    } catch (error) {
      // Transport away (Redis down): serve local clients; the transport subscribes and heals after reconnect.
      this.options.logger.warn({ documentName, err: error }, 'redis subscribe failed; will heal after reconnect');
      return;
    }
    this.publish(documentName, {
      kind: ClusterMessageKind.SyncRequest,
      sender: this.senderId,
      target: '',
      stateVector: Y.encodeStateVector(document),
      hello: true,
    });
  }

  /** The copy goes away: whatever peers have not confirmed durable is stored by us (duplicates are harmless). */
  async beforeUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    const link = this.links.get(documentName);
    if (!link) return;
    this.flushOutbox(documentName, link);
    this.takeOver(documentName, link);
  }

  /**
   * The update log is about to cut a batch with these documents: peers'
   * updates we hold unconfirmed go into it. Our clients' updates in the batch
   * may build on them (a co-author typing after the author's edit arrived
   * over Redis); were the peer to die before its commit, our stored rows
   * would depend on an update nobody stored, and the acknowledgement we send
   * for them would be a lie. Peers usually confirm within ~50 ms, so this
   * stores only what arrived since (duplicates are harmless).
   */
  beforeBatchCut(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const link = this.links.get(id);
      if (link && link.unconfirmed.senders > 0) this.takeOver(id, link, Number.POSITIVE_INFINITY, 'dependency');
    }
  }

  /** The update log cut a batch: our updates published so far are in it. */
  onBatchCut(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const link = this.links.get(id);
      if (!link) continue;
      // Publish what waits in the outbox now: its updates are in this batch, so its seq is covered by the cut.
      this.flushOutbox(id, link);
      link.sequence.markCut();
    }
  }

  /** The batch is committed: tell peers they may forget our updates up to the cut. */
  onCommitted(documentIds: Set<string>): void {
    for (const id of documentIds) {
      const link = this.links.get(id);
      link?.durable.committed(() => this.options.durability?.stateVector(id), link.lastPeerSeenAt !== 0);
    }
  }

  /** Persistence: our durable vector grew past what a peer announced; peers should hear it. */
  announceDurable(documentName: string): void {
    const link = this.links.get(documentName);
    link?.durable.announce(() => this.options.durability?.stateVector(documentName), link.lastPeerSeenAt !== 0);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    // A new copy may already be loading or loaded (reconnect during unload):
    // its link replaced ours, and its subscription must stay.
    const link = this.links.get(documentName);
    if (link && this.instance?.documents.get(documentName) === link.document) return;
    if (this.instance?.loadingDocuments.has(documentName)) return;
    // A notice still waiting goes out now: peers holding this document (and
    // the authors they acknowledge for) would otherwise never hear of the
    // last commit — the unload flushed it.
    if (link?.durable.waiting) link.durable.sendNow();
    this.links.delete(documentName);
    try {
      await this.transport.unsubscribe(documentName);
    } catch (error) {
      this.options.logger.debug({ documentName, err: error }, 'redis unsubscribe failed (Redis away)');
    }
  }

  async onChange({ documentName, update, transactionOrigin }: onChangePayload): Promise<void> {
    const origin = classifyOrigin(transactionOrigin);
    switch (origin) {
      case 'redis':
        return; // never re-publish what came from Redis
      case 'connection':
      case 'local':
      case 'restore':
      case 'review':
      case 'ai':
        break;
      default: {
        const unreachable: never = origin;
        throw new Error(`unhandled origin ${String(unreachable)}`);
      }
    }
    const link = this.links.get(documentName);
    if (!link) return;
    link.outbox.add(update);
  }

  private flushOutbox(documentName: string, link: DocumentLink): void {
    const update = link.outbox.take();
    if (!update) return;
    this.publish(documentName, {
      kind: ClusterMessageKind.Update,
      sender: this.senderId,
      target: '',
      seq: link.sequence.next(),
      durableSeq: link.sequence.durable,
      sentAtMs: performance.timeOrigin + performance.now(),
      update,
    });
  }

  async onAwarenessUpdate({ documentName, added, updated, removed, awareness, transactionOrigin }: onAwarenessUpdatePayload): Promise<void> {
    if (classifyOrigin(transactionOrigin) === 'redis') return;
    if (!this.links.has(documentName)) return;
    const clients = added.concat(updated, removed);
    if (clients.length === 0) return;
    this.publish(documentName, {
      kind: ClusterMessageKind.Awareness,
      sender: this.senderId,
      target: '',
      update: encodeAwarenessUpdate(awareness, clients),
    });
  }

  async onDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stopTimers) stop();
    for (const link of this.links.values()) link.durable.cancel();
    this.transport.close();
  }

  private publish(documentName: string, message: ClusterMessage): void {
    if (this.closed) return;
    const frame = encodeClusterMessage(message);
    const { metrics } = this.options;
    metrics.publishes.inc({ kind: clusterKindLabel[message.kind] });
    metrics.publishBytes.inc({ kind: clusterKindLabel[message.kind] }, frame.byteLength);
    this.transport.publish(documentName, frame);
  }

  private receive(documentName: string, data: Uint8Array): void {
    const link = this.links.get(documentName);
    if (!link) return;
    let message: ClusterMessage;
    try {
      message = decodeClusterMessage(data);
    } catch (error) {
      this.options.logger.warn({ documentName, err: error }, 'dropping undecodable cluster message');
      return;
    }
    if (message.sender === this.senderId) return;
    if (message.target !== '' && message.target !== this.senderId) return;
    const { metrics } = this.options;
    metrics.received.inc({ kind: clusterKindLabel[message.kind] });
    metrics.receivedBytes.inc(data.byteLength);
    link.lastPeerSeenAt = this.scheduler.now();
    const { document } = link;
    try {
      switch (message.kind) {
        case ClusterMessageKind.Update: {
          const gap = link.sequence.receiveUpdate(message.sender, message.seq);
          Y.applyUpdate(document, message.update, REDIS_ORIGIN);
          const overflow = link.unconfirmed.hold(message.sender, message.seq, message.update, message.durableSeq, this.scheduler.now());
          if (overflow) this.storeTaken(documentName, overflow, 'unconfirmed');
          metrics.propagation.observe(Math.max(0, performance.timeOrigin + performance.now() - message.sentAtMs) / 1000);
          // First contact after its first update, or a hole in the sequence: we missed something.
          if (gap) {
            metrics.gaps.inc({ reason: 'sequence-gap' });
            this.requestSync(documentName, link, message.sender, false);
          }
          return;
        }
        case ClusterMessageKind.Awareness:
          applyAwarenessUpdate(document.awareness, message.update, REDIS_ORIGIN);
          return;
        case ClusterMessageKind.SyncRequest: {
          this.sendDiff(documentName, link, message.sender, message.stateVector);
          // The requester may hold what we lack (e.g. edits made while Redis was away).
          if (lacksSomething(document, message.stateVector)) this.requestSync(documentName, link, message.sender, false);
          if (message.hello && document.awareness.getStates().size > 0) {
            this.publish(documentName, {
              kind: ClusterMessageKind.Awareness,
              sender: this.senderId,
              target: message.sender,
              update: encodeAwarenessUpdate(document.awareness, Array.from(document.awareness.getStates().keys())),
            });
          }
          return;
        }
        case ClusterMessageKind.Diff:
          Y.applyUpdate(document, message.update, REDIS_ORIGIN);
          // Healing traffic is rare: store it, since its author may be gone.
          this.enqueue(documentName, message.update);
          return;
        case ClusterMessageKind.Durable:
          link.unconfirmed.confirm(message.sender, message.seq);
          if (message.stateVector) this.options.durability?.onPeerDurable(documentName, message.stateVector);
          return;
        case ClusterMessageKind.Digest: {
          const reason = assessDigest(message, { self: this.senderId, doc: document, sequence: link.sequence, unpublished: link.outbox.pending });
          if (reason) {
            metrics.gaps.inc({ reason });
            // Both directions: what the sender lacks, and ask for what we lack.
            this.sendDiff(documentName, link, message.sender, message.stateVector);
            this.requestSync(documentName, link, message.sender, false);
          }
          return;
        }
        default: {
          const unreachable: never = message;
          throw new Error(`unhandled cluster message ${String((unreachable as { kind: unknown }).kind)}`);
        }
      }
    } catch (error) {
      // A bad update from a peer must not crash the node; anti-entropy retries.
      this.options.logger.error({ documentName, err: error, kind: message.kind }, 'cluster message could not be applied');
    }
  }

  /** Stores peers' updates received at or before `receivedAtOrBefore` (all by default) that their sender never confirmed. */
  private takeOver(documentName: string, link: DocumentLink, receivedAtOrBefore = Number.POSITIVE_INFINITY, why: TakeoverReason = 'unconfirmed'): void {
    for (const taken of link.unconfirmed.take(receivedAtOrBefore)) this.storeTaken(documentName, taken, why);
  }

  private storeTaken(documentName: string, { sender, updates }: TakenUpdates, why: TakeoverReason): void {
    // One merged update per takeover keeps the log short.
    this.enqueue(documentName, mergeUpdatesBalanced(updates));
    this.options.metrics.takeovers.inc(updates.length);
    // Storing what our own batch depends on is routine; a peer that never confirmed is news.
    if (why === 'dependency') this.options.logger.debug({ documentName, sender, updates: updates.length }, 'stored unconfirmed peer updates with our batch');
    else this.options.logger.info({ documentName, sender, updates: updates.length }, 'stored updates a peer never confirmed durable');
  }

  private enqueue(documentName: string, update: Uint8Array): void {
    try {
      this.options.writer.enqueue({ documentId: documentName, update, originNode: this.options.nodeId });
    } catch (error) {
      // Only after shutdown closed the log; the sender (alive) stores its own.
      this.options.logger.warn({ documentName, err: error }, 'could not store a peer update');
    }
  }

  private sendDiff(documentName: string, link: DocumentLink, target: string, stateVector: Uint8Array): void {
    this.publish(documentName, {
      kind: ClusterMessageKind.Diff,
      sender: this.senderId,
      target,
      update: Y.encodeStateAsUpdate(link.document, stateVector),
    });
  }

  private requestSync(documentName: string, link: DocumentLink, target: string, hello: boolean): void {
    this.publish(documentName, {
      kind: ClusterMessageKind.SyncRequest,
      sender: this.senderId,
      target,
      stateVector: Y.encodeStateVector(link.document),
      hello,
    });
  }

  /** Frames may have been lost while Redis was away: every loaded document says hello again (state-vector exchange). */
  private heal(): void {
    for (const [name, link] of this.links) {
      this.options.metrics.gaps.inc({ reason: 'reconnect' });
      this.requestSync(name, link, '', true);
      // Our Durable notices may have been lost with the connection: peers acknowledge their authors by them.
      link.durable.announce(() => this.options.durability?.stateVector(name), link.lastPeerSeenAt !== 0);
    }
  }

  private antiEntropyTick(): void {
    const now = this.scheduler.now();
    for (const [name, link] of this.links) {
      if (!isShared(link.lastPeerSeenAt, now, this.intervalMs)) continue;
      // Publish what this turn applied first: the digest describes only what peers have been sent.
      this.flushOutbox(name, link);
      this.publish(name, digestMessage(this.senderId, link.document, link.sequence));
    }
  }
}
