import type { ClusterTransport, TransportHandlers } from './transport.js';
import { type ClusterMessage, decodeClusterMessage } from './wire.js';

/** One frame on its way from one node to one subscriber (Redis delivers a copy per subscriber, the sender included). */
export interface InFlightFrame {
  readonly from: string;
  readonly to: string;
  readonly documentName: string;
  readonly frame: Uint8Array;
  /** The frame decoded, for tests that pick frames by kind or sender. */
  readonly message: ClusterMessage;
}

/**
 * A deterministic stand-in for Redis pub/sub in protocol tests, in the spirit
 * of tldraw's TestSocketPair: a publish only queues a copy per subscriber, and
 * nothing is delivered until the test says so (`flush`, `deliver`). The test
 * may drop, duplicate, reorder or hold back any copy, and take a node off the
 * network (its publishes and subscribes fail, frames to it are lost) and
 * bring it back (it is told to heal, as after a Redis reconnect).
 */
export class InMemoryNetwork {
  private readonly nodes = new Map<string, InMemoryTransport>();
  private queue: InFlightFrame[] = [];

  /** The transport of node `nodeId` (one per node). */
  transport(nodeId: string): InMemoryTransport {
    if (this.nodes.has(nodeId)) throw new Error(`node ${nodeId} already has a transport`);
    const transport = new InMemoryTransport(this, nodeId);
    this.nodes.set(nodeId, transport);
    return transport;
  }

  /** Frames queued, oldest first (optionally only those matching `filter`). */
  pending(filter: (frame: InFlightFrame) => boolean = () => true): InFlightFrame[] {
    return this.queue.filter(filter);
  }

  /**
   * Delivers queued frames in order, and those their delivery queues, until
   * none is left except those `hold` keeps back. Returns how many were delivered.
   */
  flush(hold: (frame: InFlightFrame) => boolean = () => false): number {
    let delivered = 0;
    for (;;) {
      const next = this.queue.find((frame) => !hold(frame));
      if (!next) return delivered;
      this.deliver(next);
      delivered += 1;
    }
  }

  /** Delivers one queued frame now, whatever its place in the queue (a reorder). */
  deliver(frame: InFlightFrame): void {
    this.remove(frame);
    const to = this.nodes.get(frame.to);
    if (to?.receiving(frame.documentName)) to.handlers?.frame(frame.documentName, frame.frame);
  }

  /** Loses queued frames. Returns how many. */
  drop(filter: (frame: InFlightFrame) => boolean): number {
    const before = this.queue.length;
    this.queue = this.queue.filter((frame) => !filter(frame));
    return before - this.queue.length;
  }

  /** Queues a second copy of a queued frame, right behind it. */
  duplicate(frame: InFlightFrame): void {
    const at = this.queue.indexOf(frame);
    if (at < 0) throw new Error('duplicate: frame is not queued');
    this.queue.splice(at + 1, 0, { ...frame });
  }

  /** Shuffles the queue with `random` (seeded by the test). */
  shuffle(random: () => number): void {
    for (let i = this.queue.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.queue[i], this.queue[j]] = [this.queue[j]!, this.queue[i]!];
    }
  }

  /** Takes a node off the network: what it publishes and what is queued for it is lost. */
  disconnect(nodeId: string): void {
    this.node(nodeId).online = false;
    this.drop((frame) => frame.to === nodeId);
  }

  /** Brings a node back: its wanted channels are subscribed and it is told to heal. */
  reconnect(nodeId: string): void {
    const node = this.node(nodeId);
    node.online = true;
    node.handlers?.reconnected();
  }

  /** @internal a publish: one copy per node subscribed to the document now. */
  publish(from: string, documentName: string, frame: Uint8Array): void {
    const message = decodeClusterMessage(frame);
    for (const to of this.nodes.values()) {
      if (to.receiving(documentName)) this.queue.push({ from, to: to.nodeId, documentName, frame, message });
    }
  }

  private node(nodeId: string): InMemoryTransport {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`no node ${nodeId} on this network`);
    return node;
  }

  private remove(frame: InFlightFrame): void {
    const at = this.queue.indexOf(frame);
    if (at < 0) throw new Error('deliver: frame is not queued');
    this.queue.splice(at, 1);
  }
}

export class InMemoryTransport implements ClusterTransport {
  handlers: TransportHandlers | undefined;
  online = true;
  private closed = false;
  /** Wanted channels; they receive while the node is online. */
  private readonly documents = new Set<string>();

  constructor(
    private readonly network: InMemoryNetwork,
    readonly nodeId: string,
  ) {}

  listen(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  receiving(documentName: string): boolean {
    return this.online && !this.closed && this.documents.has(documentName);
  }

  publish(documentName: string, frame: Uint8Array): void {
    if (this.online && !this.closed) this.network.publish(this.nodeId, documentName, frame);
  }

  async subscribe(documentName: string): Promise<void> {
    this.documents.add(documentName);
    if (!this.online) throw new Error(`${this.nodeId} is off the network`);
  }

  async unsubscribe(documentName: string): Promise<void> {
    this.documents.delete(documentName);
  }

  close(): void {
    this.closed = true;
  }
}
