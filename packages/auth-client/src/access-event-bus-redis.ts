import { Redis } from 'ioredis';
import { DEFAULT_REDIS_PREFIX } from '@copycloud/protocol';
import { createInProcessAccessEventBus, createRedisAccessEventBus, type AccessEventBus } from './access-events.js';

/**
 * The access-change channel for a process: Redis when `redisUrl` is set
 * (every node subscribes to `<prefix>:auth:access-events`), otherwise
 * in-process (auth and the sync node share the process).
 */
export function createAccessEventBus(options: {
  redisUrl?: string | undefined;
  /** REDIS_PREFIX: one per deployment or test run. */
  prefix?: string | undefined;
  onError: (error: unknown) => void;
}): AccessEventBus & { ready: Promise<void> } {
  if (!options.redisUrl) return { ...createInProcessAccessEventBus(), ready: Promise.resolve() };
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.redisUrl);
  for (const client of [publisher, subscriber]) client.on('error', (error: Error) => options.onError(error));
  return createRedisAccessEventBus({
    publisher,
    subscriber,
    channel: `${options.prefix ?? DEFAULT_REDIS_PREFIX}:auth:access-events`,
    onError: options.onError,
  });
}
