// A stock Hocuspocus node (Server + @hocuspocus/extension-redis), plain
// JavaScript like a built dist, for the start-up comparison in bench:sync.
import { Server } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';

const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: '127.0.0.1',
  quiet: true,
  extensions: [new Redis({ host: redis.hostname, port: Number(redis.port || 6379), prefix: 'bench-start' })],
});
await server.listen();
process.on('SIGTERM', () => server.destroy().then(() => process.exit(0)));
