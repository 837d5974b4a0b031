// One sync node for the benchmark, in its own process: ours (createSyncNode,
// as shipped: Postgres update log + our Redis fan-out) or the stock setup
// (plain @hocuspocus/server Server + @hocuspocus/extension-redis, no storage).
// Talks to the runner over IPC: {ready, port}, and answers {cmd:'stats'} with
// process.cpuUsage(), RSS and Redis publishes/bytes counted in-process.
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { Server } from '@hocuspocus/server';
import { Redis as StockRedis } from '@hocuspocus/extension-redis';
import { openDatabase, runMigrations } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { createSyncNode } from '../../sync-server/src/index.js';

interface Stats {
  cpuMs: number;
  rssBytes: number;
  publishes: number;
  publishBytes: number;
}

const impl = process.env.BENCH_IMPL;
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.REDIS_PREFIX ?? 'bench';
const nodeId = process.env.NODE_ID ?? `bench-${process.pid}`;
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

let counters: () => Promise<{ publishes: number; publishBytes: number }>;
let port: number;

if (impl === 'ours') {
  const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '' });
  await runMigrations(db);
  const node = createSyncNode({
    config: {
      nodeId,
      authDisabled: true,
      authIssuer: 'copycloud',
      redisUrl: redisUrl.toString(),
      redisPrefix: prefix,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      storeBatchMs: Number(process.env.STORE_BATCH_MS ?? 5),
      maxDocumentsPerSocket: 8,
    },
    db,
    logger: createLogger({ name: 'bench-node', level: 'silent' }),
  });
  const http = await startHttpServer({ app: new Hono().route('/', node.opsRoutes), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  port = http.port;
  // Documents must exist (no auth here, so first open creates them).
  const sum = async (name: string) => {
    const metric = node.registry.getSingleMetric(name);
    if (!metric) return 0;
    return (await metric.get()).values.reduce((total, v) => total + v.value, 0);
  };
  counters = async () => ({
    publishes: await sum('copycloud_sync_redis_publishes_total'),
    publishBytes: await sum('copycloud_sync_redis_publish_bytes_total'),
  });
} else if (impl === 'stock') {
  const redis = new StockRedis({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), prefix, identifier: nodeId });
  let publishes = 0;
  let publishBytes = 0;
  const publish = redis.pub.publish.bind(redis.pub) as (channel: string, message: Buffer) => Promise<number>;
  (redis.pub as unknown as { publish: typeof publish }).publish = (channel, message) => {
    publishes += 1;
    publishBytes += message.byteLength;
    return publish(channel, message);
  };
  counters = async () => ({ publishes, publishBytes });
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, extensions: [redis], websocketOptions: { maxPayload: MAX_PAYLOAD_BYTES } } as never);
  await server.listen();
  port = (server.httpServer.address() as AddressInfo).port;
} else {
  throw new Error(`BENCH_IMPL must be ours or stock, got ${impl}`);
}

process.on('message', async (message: { cmd: string }) => {
  if (message.cmd !== 'stats') return;
  const cpu = process.cpuUsage();
  const stats: Stats = { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss(), ...(await counters()) };
  process.send!({ stats });
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ ready: true, port });
