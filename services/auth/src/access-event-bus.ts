import { Redis } from 'ioredis';
import { createInProcessAccessEventBus, createRedisAccessEventBus, type AccessEventBus } from '@copycloud/auth-client';
import type { Logger } from '@copycloud/observability';

/**
 * The access-change channel: Redis when configured (every sync node
 * subscribes), otherwise in-process (auth and the node share the process).
 */
export function createAccessEventBus(options: { redisUrl?: string | undefined; channelPrefix?: string; logger: Logger }): AccessEventBus {
  if (!options.redisUrl) return createInProcessAccessEventBus();
  const publisher = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.redisUrl, { lazyConnect: false });
  for (const client of [publisher, subscriber]) client.on('error', (error: Error) => options.logger.warn({ err: error }, 'redis (access events) error'));
  const busOptions: Parameters<typeof createRedisAccessEventBus>[0] = {
    publisher,
    subscriber,
    onError: (error) => options.logger.error({ err: error }, 'access events channel error'),
  };
  if (options.channelPrefix) busOptions.channel = `${options.channelPrefix}copycloud:auth:access-events`;
  return createRedisAccessEventBus(busOptions);
}
