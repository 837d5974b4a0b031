/**
 * How sync nodes reach each other: one channel per document; a frame
 * published on it reaches every node subscribed to it, the sender included
 * (receivers drop their own frames by sender id). Delivery is best effort,
 * like Redis pub/sub: a frame may be lost, and the fan-out protocol heals
 * losses (sequence gaps, digests, a state-vector exchange after reconnect).
 * Implementations: redis-transport.ts (production), in-memory-transport.ts
 * (deterministic protocol tests).
 */
export interface ClusterTransport {
  /** Where frames and reconnects go; set once, before the first subscribe. */
  listen(handlers: TransportHandlers): void;
  /**
   * Sends a frame to the document's subscribers. Never queues while
   * disconnected: a frame that cannot leave is dropped (and a later
   * `reconnected` tells the protocol to heal).
   */
  publish(documentName: string, frame: Uint8Array): void;
  /**
   * Starts delivering the document's frames. Rejects while disconnected;
   * the subscription is kept and made on reconnect, which then reports
   * `reconnected`.
   */
  subscribe(documentName: string): Promise<void>;
  /** Stops delivering the document's frames (forgotten even if the call fails). */
  unsubscribe(documentName: string): Promise<void>;
  close(): void;
}

export interface TransportHandlers {
  /** A frame published on a subscribed document's channel (by any node, this one included). */
  frame(documentName: string, frame: Uint8Array): void;
  /**
   * Connected and subscribed again after frames may have been lost (a
   * dropped connection, a failed publish or subscribe): time to heal.
   */
  reconnected(): void;
}
