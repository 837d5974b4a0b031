import { Redis as RedisClient } from 'ioredis';
import type { Logger } from '@copycloud/observability';
import type { ClusterMetrics } from './cluster-metrics.js';
import type { ClusterTransport, TransportHandlers } from './transport.js';

export interface RedisTransportOptions {
  redisUrl: string;
  /** Channel prefix; one per deployment (and per test run). */
  prefix: string;
  /** Names the connections (`<nodeId>-pub`, `<nodeId>-sub`) for `CLIENT LIST`. */
  nodeId: string;
  logger: Logger;
  /** Uses `connected`, `reconnects` and `publishFailures`; the protocol counts the rest. */
  metrics: Pick<ClusterMetrics, 'connected' | 'reconnects' | 'publishFailures'>;
}

/** A subscriber for channels other than documents' (the shape external-updates.ts expects of an ioredis client). */
export interface OtherChannels {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  off(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/**
 * Redis pub/sub as the cluster transport: a publisher and a subscriber
 * connection, channel `<prefix>:doc:<document>` per document. Neither has an
 * offline queue: while Redis is away a publish fails at once (counted) instead
 * of piling up in memory and stalling edits; once both connections are ready
 * again, every wanted channel is subscribed again and the protocol is told to
 * heal. The subscriber connection also carries other channels (`otherChannels`).
 */
export class RedisTransport implements ClusterTransport {
  private readonly pub: RedisClient;
  private readonly sub: RedisClient;
  private handlers: TransportHandlers | undefined;
  /** Documents whose channel is wanted, subscribed or not (Redis may be away). */
  private readonly documents = new Set<string>();
  private readonly documentPrefix: string;
  /** Set when frames may have been lost; cleared by the heal after reconnect. */
  private needsHeal = false;
  private closed = false;
  /** Listeners for channels other than documents' (e.g. external updates), on the same connection. */
  private readonly otherChannelListeners = new Set<(channel: string, message: string) => void>();
  private readonly otherChannelNames = new Set<string>();

  constructor(private readonly options: RedisTransportOptions) {
    this.documentPrefix = `${options.prefix}:doc:`;
    const redisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false } as const;
    // Auto-pipelining: every PUBLISH issued in one event-loop turn (many
    // documents' outboxes, durable notices) leaves in one write, not one each.
    this.pub = new RedisClient(options.redisUrl, { ...redisOptions, enableAutoPipelining: true, connectionName: `${options.nodeId}-pub` });
    this.sub = new RedisClient(options.redisUrl, { ...redisOptions, connectionName: `${options.nodeId}-sub` });
    this.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel, data));
    for (const [name, client] of [['pub', this.pub], ['sub', this.sub]] as const) {
      client.on('error', (error: Error) => options.logger.warn({ err: error, redis: name }, 'redis error'));
      client.on('close', () => {
        if (this.closed) return;
        this.needsHeal = true;
        options.metrics.connected.set(0);
      });
      client.on('ready', () => void this.onReady(name));
    }
  }

  /** Both connections are ready. */
  get ready(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /**
   * Subscribes to channels other than documents' on the subscriber
   * connection (subscribed again after a reconnect), so features such as
   * external updates need no connection of their own.
   */
  readonly otherChannels: OtherChannels = {
    subscribe: async (channel) => {
      this.otherChannelNames.add(channel);
      // Not connected yet (no offline queue): onReady subscribes it.
      if (this.sub.status === 'ready') await this.sub.subscribe(channel);
    },
    unsubscribe: async (channel) => {
      this.otherChannelNames.delete(channel);
      if (this.sub.status === 'ready') await this.sub.unsubscribe(channel);
    },
    on: (_event, listener) => this.otherChannelListeners.add(listener),
    off: (_event, listener) => this.otherChannelListeners.delete(listener),
  };

  listen(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  /** For /readyz: Redis answers. */
  async ping(): Promise<void> {
    await this.pub.ping();
  }

  private channel(documentName: string): string {
    return `${this.documentPrefix}${documentName}`;
  }

  publish(documentName: string, frame: Uint8Array): void {
    if (this.closed) return;
    this.pub.publish(this.channel(documentName), Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)).catch((error: Error) => {
      this.needsHeal = true;
      this.options.metrics.publishFailures.inc();
      this.options.logger.debug({ documentName, err: error }, 'redis publish failed; will heal after reconnect');
    });
  }

  async subscribe(documentName: string): Promise<void> {
    this.documents.add(documentName);
    try {
      await this.sub.subscribe(this.channel(documentName));
    } catch (error) {
      // Redis away: onReady subscribes and heals.
      this.needsHeal = true;
      throw error;
    }
  }

  async unsubscribe(documentName: string): Promise<void> {
    this.documents.delete(documentName);
    await this.sub.unsubscribe(this.channel(documentName));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private receive(channelBuffer: Buffer, data: Buffer): void {
    const channel = channelBuffer.toString('utf8');
    if (!channel.startsWith(this.documentPrefix)) {
      const message = data.toString('utf8');
      for (const listener of this.otherChannelListeners) listener(channel, message);
      return;
    }
    this.handlers?.frame(channel.slice(this.documentPrefix.length), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  private async onReady(which: 'pub' | 'sub'): Promise<void> {
    const { metrics, logger } = this.options;
    metrics.connected.set(this.ready ? 1 : 0);
    if (!this.ready || this.closed) return;
    if (which !== 'sub' && !this.needsHeal) return;
    // Subscriptions that failed while Redis was away (a new subscriber connection has none).
    const channels = [...Array.from(this.documents, (name) => this.channel(name)), ...this.otherChannelNames];
    if (channels.length > 0) {
      try {
        await this.sub.subscribe(...channels);
      } catch (error) {
        logger.warn({ err: error }, 'redis resubscribe failed');
        return;
      }
    }
    if (!this.needsHeal) return;
    this.needsHeal = false;
    metrics.reconnects.inc();
    logger.info({ documents: this.documents.size }, 'redis reconnected; healing by state-vector exchange');
    this.handlers?.reconnected();
  }
}
