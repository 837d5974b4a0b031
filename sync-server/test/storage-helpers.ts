import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { decodeServerStateless, fromBase64 } from '@copycloud/protocol';
import type { TestClient } from './helpers.js';

/** What a client was told about durability: the highest acked clock of its own edits, and storage errors. */
export interface DurabilityLog {
  ackedClock(): number;
  storageErrors(): number;
}

export function recordDurability(client: TestClient): DurabilityLog {
  let acked = 0;
  let errors = 0;
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = decodeServerStateless(payload);
    if (message?.type === 'saved') {
      acked = Math.max(acked, Y.decodeStateVector(fromBase64(message.sv)).get(client.doc.clientID) ?? 0);
    } else if (message?.type === 'storage-error') {
      errors += 1;
    }
  });
  return { ackedClock: () => acked, storageErrors: () => errors };
}

/** The clock of `clientId` in a stored document (0 when absent). */
export function storedClock(state: Uint8Array | null, clientId: number): number {
  if (!state) return 0;
  return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)).get(clientId) ?? 0;
}

/**
 * A TCP proxy between a node and Postgres that the test can cut: existing
 * connections are destroyed and new ones dropped on accept, as when the
 * database host goes away, without touching the shared Postgres server.
 */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(target: { host: string; port: number }): Promise<CuttableProxy> {
    let proxy!: CuttableProxy;
    const server = createServer((inbound) => proxy.accept(inbound, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new CuttableProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  get isDown(): boolean {
    return this.down;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(inbound: Socket, target: { host: string; port: number }): void {
    if (this.down) {
      inbound.destroy();
      return;
    }
    const outbound = connect(target.port, target.host);
    for (const socket of [inbound, outbound]) {
      this.sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  }
}

/** The test Postgres URL rewritten to go through `port` on localhost. */
export function throughProxy(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}
