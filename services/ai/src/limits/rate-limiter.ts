import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Window of the per-user request limit. */
export const RATE_WINDOW_MS = 60_000;

/** Where the counters live: Redis shared by every replica, or this process. */
export interface RateLimitStore {
  /** A client created with `enableOfflineQueue: false`, so an outage fails fast to the in-memory fallback. */
  redis: Redis;
  /** REDIS_PREFIX: keys are `<prefix>:rate:ai-requests:<user>`. */
  prefix: string;
}

/**
 * Requests per user per minute, counted with rate-limiter-flexible. With a
 * Redis store every AI replica shares one count (the ingress may spread a
 * user's requests over all of them); while Redis is unreachable each process
 * counts on its own. Without a store (one process) the count is in memory.
 * The daily token quota, kept in Postgres, is the other, global bound.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(limitPerWindow: number, store?: RateLimitStore) {
    const duration = RATE_WINDOW_MS / 1000;
    const memory = new RateLimiterMemory({ points: limitPerWindow, duration, keyPrefix: 'ai-requests' });
    this.limiter = store
      ? new RateLimiterRedis({ storeClient: store.redis, points: limitPerWindow, duration, keyPrefix: `${store.prefix}:rate:ai-requests`, insuranceLimiter: memory })
      : memory;
  }

  /** Records a request if allowed; otherwise returns the seconds until one is. */
  async take(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    try {
      await this.limiter.consume(userId, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      throw rejection;
    }
  }
}
