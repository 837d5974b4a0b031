import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort, spawnService, type SpawnedService } from '@copycloud/testing';
import { sleep } from './random.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SYNC_MAIN = fileURLToPath(new URL('../../../../sync-server/src/main.ts', import.meta.url));

/**
 * Every child process the harness started, so the runner can SIGKILL what a
 * hung or failed scenario left behind (and nothing else: only these pids).
 */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function killLeftovers(): number {
  let killed = 0;
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      killed++;
    }
  }
  children.clear();
  return killed;
}

/** A redis-server of the run's own on a fixed port, so it can restart where the nodes expect it. */
export class RedisProcess {
  private child: ChildProcess | undefined;
  restarts = 0;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    track(child);
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await redisPing(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer PING`);
      if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited with ${child.exitCode}`);
      await sleep(50);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async restart(downMs: number): Promise<void> {
    await this.stop('SIGKILL');
    await sleep(downMs);
    await this.start();
    this.restarts++;
  }
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish(false), 1000);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

export interface NodeExit {
  nodeId: string;
  /** What the harness did to it (null: it died on its own). */
  signal: NodeJS.Signals | null;
  code: number | null;
  /** Last log lines before the exit (for reports). */
  tail: string[];
}

/**
 * One sync node as a real process (`sync-server/src/main.ts` through tsx,
 * port 0), restartable. `port` is where it listens now (null while down).
 */
export class SyncNodeProcess {
  private service: SpawnedService | undefined;
  private expectedSignal: NodeJS.Signals | null = null;
  port: number | null = null;
  readonly exits: NodeExit[] = [];
  starts = 0;

  constructor(
    readonly nodeId: string,
    private readonly env: () => Record<string, string>,
  ) {}

  get alive(): boolean {
    return this.port !== null;
  }

  get lines(): string[] {
    return this.service?.lines ?? [];
  }

  async start(): Promise<void> {
    if (this.service && this.port !== null) return;
    const service = await spawnService({
      name: `sync node ${this.nodeId}`,
      main: SYNC_MAIN,
      cwd: REPO_ROOT,
      // "listening" is an info line: it is how spawnService knows the port.
      env: { AUTH_DISABLED: 'true', NODE_ID: this.nodeId, LOG_LEVEL: 'info', ...this.env() },
    });
    track(service.process);
    this.service = service;
    this.expectedSignal = null;
    this.starts++;
    this.port = Number(new URL(service.httpUrl).port);
    service.process.once('exit', (code, signal) => {
      if (this.service === service) this.port = null;
      this.exits.push({ nodeId: this.nodeId, signal: this.expectedSignal ?? (signal as NodeJS.Signals | null), code, tail: service.lines.slice(-8) });
    });
  }

  /** Sends `signal`; resolves with the exit code when the process is gone. */
  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
    const service = this.service;
    if (!service || this.port === null) return { code: null, ms: 0 };
    const started = Date.now();
    this.expectedSignal = signal;
    if (signal === 'SIGKILL') this.port = null; // the proxy stops routing at once
    const code = await service.stop(signal);
    this.port = null;
    return { code, ms: Date.now() - started };
  }

  /** Sends `signal` without waiting for the exit. */
  signal(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
    return this.stop(signal);
  }

  /** Exits nobody asked for (a crash), and SIGTERMs that did not end with code 0. */
  unexpectedExits(): NodeExit[] {
    return this.exits.filter((e) => e.signal === null || (e.signal === 'SIGTERM' && e.code !== 0));
  }
}
