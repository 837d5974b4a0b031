import { ClusterFanout, type ClusterFanoutOptions } from './fanout.js';
import { type OtherChannels, RedisTransport } from './redis-transport.js';

export interface RedisFanoutOptions extends Omit<ClusterFanoutOptions, 'transport'> {
  redisUrl: string;
  /** Channel prefix; one per deployment (and per test run). */
  prefix: string;
}

/**
 * The node's cluster extension: the fan-out protocol (fanout.ts) over Redis
 * pub/sub (redis-transport.ts), added to the node's extensions when
 * `REDIS_URL` is set. Its subscriber connection also serves other channels
 * (external updates), so those need no connection of their own.
 */
export class RedisFanoutExtension extends ClusterFanout {
  private readonly redisTransport: RedisTransport;

  constructor(options: RedisFanoutOptions) {
    const transport = new RedisTransport(options);
    super({ ...options, transport });
    this.redisTransport = transport;
  }

  /** Channels other than documents' on this node's subscriber connection (e.g. external updates). */
  get otherChannels(): OtherChannels {
    return this.redisTransport.otherChannels;
  }

  /** Both Redis connections are ready. */
  get redisReady(): boolean {
    return this.redisTransport.ready;
  }

  /** For /readyz: Redis answers. */
  async ping(): Promise<void> {
    await this.redisTransport.ping();
  }
}
