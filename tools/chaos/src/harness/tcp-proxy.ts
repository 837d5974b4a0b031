import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that a nemesis drives: pass bytes through, add
 * latency (each chunk is delivered `latencyMs` after it arrived, order kept),
 * blackhole (accept and hold: nothing is forwarded either way and nothing is
 * closed; held bytes are delivered when the proxy heals, as TCP retransmission
 * would), reset every open connection (RST), or refuse new ones.
 *
 * The target is looked up per connection, so a process behind the proxy can
 * restart on another port; while the target is absent (null) connections are
 * closed at once, as a closed port would.
 */
export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

export interface TcpProxyOptions {
  name: string;
  /** Port on 127.0.0.1 to forward to; null while the target is down. */
  target: () => number | null;
  /** Fixed port to listen on (restart-stable); 0 or absent for any free one. */
  port?: number;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  toUpstream: Direction;
  toClient: Direction;
  connectUpstream(): void;
  destroy(reset: boolean): void;
}

/** One direction of a connection: a queue of chunks, each with the time it may be delivered. */
class Direction {
  private readonly queue: Array<{ at: number; data: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;
  private onDrained: (() => void) | undefined;
  destination: Socket | null = null;

  constructor(private readonly proxy: TcpProxy) {}

  push(data: Buffer): void {
    const latency = this.proxy.latencyMs;
    if (this.queue.length === 0 && latency === 0 && this.proxy.mode === 'pass' && this.destination) {
      this.destination.write(data);
      return;
    }
    // Order is kept: a chunk never overtakes the one before it.
    const last = this.queue[this.queue.length - 1];
    this.queue.push({ at: Math.max(Date.now() + latency, last?.at ?? 0), data });
    this.schedule();
  }

  /** The source closed: deliver what is queued (when the proxy lets it), then call `done`. */
  finish(done: () => void): void {
    this.onDrained = done;
    this.schedule();
  }

  schedule(): void {
    if (this.timer || this.proxy.mode !== 'pass' || !this.destination) return;
    const head = this.queue[0];
    if (!head) {
      const done = this.onDrained;
      this.onDrained = undefined;
      done?.();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.max(0, head.at - Date.now()));
  }

  private flush(): void {
    const now = Date.now();
    while (this.proxy.mode === 'pass' && this.destination && this.queue.length > 0 && this.queue[0]!.at <= now) {
      this.destination.write(this.queue.shift()!.data);
    }
    this.schedule();
  }

  get held(): number {
    return this.queue.reduce((sum, chunk) => sum + chunk.data.length, 0);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.onDrained = undefined;
  }
}

export class TcpProxy {
  readonly name: string;
  mode: ProxyMode = 'pass';
  latencyMs = 0;
  /** Connections accepted since start (for reports and tests). */
  accepted = 0;
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private listeningPort = 0;

  constructor(private readonly options: TcpProxyOptions) {
    this.name = options.name;
  }

  get port(): number {
    return this.listeningPort;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Bytes currently held (blackhole or latency), both directions. */
  get heldBytes(): number {
    let total = 0;
    for (const pair of this.pairs) total += pair.toClient.held + pair.toUpstream.held;
    return total;
  }

  async listen(): Promise<number> {
    const server = createServer({ noDelay: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.listeningPort = (server.address() as { port: number }).port;
    return this.listeningPort;
  }

  /** Forward again: held bytes flow, connections deferred by a blackhole connect now. */
  pass(): void {
    this.mode = 'pass';
    for (const pair of this.pairs) {
      pair.connectUpstream();
      pair.toUpstream.schedule();
      pair.toClient.schedule();
    }
  }

  /** Hold everything: accept new connections, forward nothing either way, close nothing. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  /** Reset (RST) every new connection at once, as a host with the port closed would. */
  refuse(): void {
    this.mode = 'refuse';
  }

  /** RST every open connection, both sides. */
  resetAll(): number {
    const count = this.pairs.size;
    for (const pair of [...this.pairs]) pair.destroy(true);
    return count;
  }

  async close(): Promise<void> {
    this.resetAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    if (this.mode === 'refuse') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const proxy = this;
    let destroyed = false;
    const pair: Pair = {
      client,
      upstream: null,
      toUpstream: new Direction(this),
      toClient: new Direction(this),
      connectUpstream() {
        if (destroyed || pair.upstream || proxy.mode !== 'pass') return;
        const port = proxy.options.target();
        if (port === null) {
          pair.destroy(false);
          return;
        }
        const upstream = connect({ host: '127.0.0.1', port, noDelay: true });
        pair.upstream = upstream;
        pair.toUpstream.destination = upstream;
        pair.toClient.destination = client;
        upstream.on('data', (data) => pair.toClient.push(data));
        upstream.on('error', () => pair.destroy(true));
        upstream.on('close', () => pair.toClient.finish(() => pair.destroy(false)));
        pair.toUpstream.schedule();
      },
      destroy(reset) {
        if (destroyed) return;
        destroyed = true;
        proxy.pairs.delete(pair);
        pair.toUpstream.clear();
        pair.toClient.clear();
        for (const socket of [client, pair.upstream]) {
          if (!socket || socket.destroyed) continue;
          if (reset) socket.resetAndDestroy();
          else socket.destroy();
        }
      },
    };
    this.pairs.add(pair);
    client.on('data', (data) => pair.toUpstream.push(data));
    client.on('error', () => pair.destroy(true));
    client.on('close', () => {
      if (pair.upstream) pair.toUpstream.finish(() => pair.destroy(false));
      else pair.destroy(false);
    });
    pair.connectUpstream();
  }
}
