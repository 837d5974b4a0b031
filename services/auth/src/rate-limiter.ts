import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Where limit counters live: Redis shared by every replica, or this process. */
export interface RateLimitStore {
  /** A client created with `enableOfflineQueue: false`, so an outage fails fast to the in-memory fallback. */
  redis: Redis;
  /** REDIS_PREFIX: keys are `<prefix>:rate:<name>:<key>`. */
  prefix: string;
}

/**
 * Attempts per key (an account, an IP) in a window, counted with
 * rate-limiter-flexible. With a Redis store every auth replica shares one
 * count, so N replicas still allow `limit` attempts per window, not N × limit;
 * if Redis is unreachable each process falls back to its own memory count.
 * Without a store (one process, `npm start`) the count is in memory.
 */
export class AttemptLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(options: { name: string; limit: number; windowMs: number; store?: RateLimitStore | undefined }) {
    const duration = Math.max(1, Math.ceil(options.windowMs / 1000));
    const memory = new RateLimiterMemory({ points: options.limit, duration, keyPrefix: options.name });
    this.limiter = options.store
      ? new RateLimiterRedis({
          storeClient: options.store.redis,
          points: options.limit,
          duration,
          keyPrefix: `${options.store.prefix}:rate:${options.name}`,
          insuranceLimiter: memory,
        })
      : memory;
  }

  /** Seconds until `key` may try again, or 0 while it is under the limit (records nothing). */
  async retryAfterSeconds(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    if (!state || state.consumedPoints < this.limiter.points) return 0;
    return retryAfter(state);
  }

  /** Counts one attempt against `key` (e.g. a failed login). */
  async record(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }

  /**
   * Counts one attempt and says whether it was within the limit, in one
   * atomic step: 0 = allowed, otherwise the seconds to wait.
   */
  async take(key: string): Promise<number> {
    try {
      await this.limiter.consume(key, 1);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return retryAfter(rejection);
      throw rejection;
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

function retryAfter(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
