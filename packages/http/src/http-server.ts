import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

/** Claims a WebSocket upgrade; returns false to let the next handler try. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface RunningHttpServer {
  server: Server;
  /** `http://host:port` as bound (port 0 resolved). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a Hono app plus WebSocket upgrades on one port. An upgrade no
 * handler claims is answered 404 and the socket closed, never left hanging.
 */
export async function startHttpServer(options: {
  app: Hono;
  upgrades: UpgradeHandler[];
  port: number;
  host: string;
}): Promise<RunningHttpServer> {
  const server = createServer(getRequestListener(options.app.fetch));
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    for (const handler of options.upgrades) if (handler(request, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  let closed: Promise<void> | undefined;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
