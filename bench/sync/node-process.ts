// One sync node for the benchmark, in its own process: ours (createSyncNode,
// as shipped: Postgres update log + our Redis fan-out) or the stock setup
// (plain @hocuspocus/server Server + @hocuspocus/extension-redis, no storage).
// Tells the runner {ready, port, statsPort} over IPC; GET
// http://127.0.0.1:<statsPort>/stats answers with process.cpuUsage(), RSS and
// the Redis publishes/bytes counted in-process, so the load generator (another
// process) reads them around its measurement window without going through the
// runner. The stats server is separate from the sync port so that it is the
// same for both setups; it is asked twice per case and costs nothing between.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { Server } from '@hocuspocus/server';
import { Redis as StockRedis } from '@hocuspocus/extension-redis';
import { openDatabase, runMigrations } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { createSyncNode, DEFAULT_STORE_BATCH_MS } from '../../sync-server/src/index.js';
import type { NodeStats } from './types.js';

const impl = process.env.BENCH_IMPL;
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.REDIS_PREFIX ?? 'bench';
const nodeId = process.env.NODE_ID ?? `bench-${process.pid}`;
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

let counters: () => Promise<{ publishes: number; publishBytes: number }>;
let port: number;
let stop: () => Promise<void>;

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
      // As shipped unless the run overrides it.
      storeBatchMs: Number(process.env.STORE_BATCH_MS ?? DEFAULT_STORE_BATCH_MS),
      maxDocumentsPerSocket: 8,
    },
    db,
    // BENCH_LOG_LEVEL=warn shows why the node closed a connection.
    logger: createLogger({ name: 'bench-node', level: (process.env.BENCH_LOG_LEVEL ?? 'silent') as 'silent' }),
  });
  const http = await startHttpServer({ app: new Hono().route('/', node.opsRoutes), upgrades: [node.handleUpgrade], port: 0, host: '127.0.0.1' });
  port = http.port;
  const sum = async (name: string) => {
    const metric = node.registry.getSingleMetric(name);
    if (!metric) return 0;
    return (await metric.get()).values.reduce((total, v) => total + v.value, 0);
  };
  counters = async () => ({
    publishes: await sum('copycloud_sync_redis_publishes_total'),
    publishBytes: await sum('copycloud_sync_redis_publish_bytes_total'),
  });
  // Drain as in production (flush the log), so a --cpu-prof profile ends after the work.
  stop = async () => {
    await node.shutdown();
    await http.close();
    await db.close();
  };
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
  stop = async () => {
    await server.destroy();
  };
} else {
  throw new Error(`BENCH_IMPL must be ours or stock, got ${impl}`);
}

// The same V8 sampling profiler as --cpu-prof (same interval), started and
// stopped around one case's window so start-up and other cases stay out of it.
const inspector = new Session();
inspector.connect();
async function profile(command: string, file: string | null): Promise<void> {
  if (command === 'start') {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 1000 });
    await inspector.post('Profiler.start');
    return;
  }
  const { profile: result } = await inspector.post('Profiler.stop');
  writeFileSync(file!, JSON.stringify(result));
}

const statsServer = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/profile/')) {
    profile(url.pathname.slice('/profile/'.length), url.searchParams.get('file')).then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
    return;
  }
  if (url.pathname !== '/stats') {
    response.writeHead(404).end();
    return;
  }
  void counters().then((c) => {
    const cpu = process.cpuUsage();
    const stats: NodeStats = { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss(), ...c };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  });
});
await new Promise<void>((resolve) => statsServer.listen(0, '127.0.0.1', resolve));
const statsPort = (statsServer.address() as AddressInfo).port;

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  statsServer.close();
  // A bounded stop: the profile must be written even if a drain hangs.
  const force = setTimeout(() => process.exit(0), 10_000);
  void stop()
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(force);
      process.exit(0);
    });
});
process.send!({ ready: true, port, statsPort });
