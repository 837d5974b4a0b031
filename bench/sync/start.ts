// Start-up figures: how long a sync node takes from spawn to `/readyz` 200
// and the CPU it spends getting there (from dist, as a container runs it),
// the stock Hocuspocus node for comparison, and `npm start` on a fresh clone
// (first start builds everything, the second finds the build cached).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@copycloud/testing';

const CLOCK_TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
const READY_POLL_MS = 10;

export interface StartSample {
  readyMs: number;
  cpuS: number;
}

/** utime + stime of a process and its waited-for children, in seconds (Linux /proc). */
function cpuSecondsOf(pid: number, withChildren: boolean): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime=14, stime=15, cutime=16, cstime=17.
  const ticks = Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / CLOCK_TICKS_PER_S;
}

/** Every process in the tree under `pid` (npm → sh → node …). */
function descendants(pid: number): number[] {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid=']).stdout.toString();
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp!, [...(children.get(pp!) ?? []), p!]);
  }
  const all: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

/** CPU of a whole process tree: live processes plus what finished children left in their parents' cutime. */
function treeCpuSeconds(pid: number): number {
  return [pid, ...descendants(pid)].reduce((total, p) => {
    try {
      return total + cpuSecondsOf(p, true);
    } catch {
      return total; // exited between ps and the read
    }
  }, 0);
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode} before it was ready`);
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`${url}: not ready within ${timeoutMs} ms`);
}

function stopTree(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    // Our own process group (spawned detached): npm and everything it started.
    process.kill(-child.pid!, 'SIGTERM');
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000).unref();
  });
}

async function timeStart(command: string, args: string[], options: { cwd: string; env: Record<string, string>; readyUrl: (port: number) => string; timeoutMs: number }): Promise<StartSample> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  try {
    await waitReady(options.readyUrl(port), child, options.timeoutMs);
    const readyMs = performance.now() - started;
    return { readyMs, cpuS: treeCpuSeconds(child.pid!) };
  } finally {
    await stopTree(child);
  }
}

export interface NodeStartResult {
  ours: { postgres: StartSample[]; pglite: StartSample };
  stock: StartSample[];
}

/** Ours from sync-server/dist on Postgres (first start migrates a fresh schema), once on PGlite; stock from a plain script. */
export async function measureNodeStart(root: string, env: { databaseUrl: string; redisUrl: string }, runs: number): Promise<NodeStartResult> {
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@copycloud/sync-server', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(root, 'sync-server/dist/main.js'))) throw new Error('sync-server did not build');
  const node = process.execPath;
  const oursEnv = { AUTH_DISABLED: 'true', HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: env.redisUrl, REDIS_PREFIX: `bench-start-${process.pid}` };
  const readyz = (port: number) => `http://127.0.0.1:${port}/readyz`;
  const postgres: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    postgres.push(await timeStart(node, ['sync-server/dist/main.js'], { cwd: root, env: { ...oursEnv, DATABASE_URL: env.databaseUrl }, readyUrl: readyz, timeoutMs: 60_000 }));
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
  let pglite: StartSample;
  try {
    pglite = await timeStart(node, ['sync-server/dist/main.js'], { cwd: root, env: { ...oursEnv, DATA_DIR: dataDir }, readyUrl: readyz, timeoutMs: 120_000 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const stock: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    // Stock Hocuspocus answers GET / with 200 once it listens (it has no /readyz).
    stock.push(await timeStart(node, [join(root, 'bench/sync/stock-node.mjs')], { cwd: root, env: { REDIS_URL: env.redisUrl }, readyUrl: (port) => `http://127.0.0.1:${port}/`, timeoutMs: 60_000 }));
  }
  return { ours: { postgres, pglite }, stock };
}

export interface CloneStartResult {
  cloneMs: number;
  npmCiMs: number;
  first: StartSample;
  second: StartSample;
}

/**
 * `git clone` of this checkout's HEAD under /tmp, `npm ci` (from the npm
 * cache), then `npm start` twice, each timed from spawn to `/readyz` 200: the
 * first builds every workspace (no turbo cache in a fresh clone), the second
 * finds the build cached.
 */
export async function measureCloneStart(root: string, dir = '/tmp/bench-clone'): Promise<CloneStartResult> {
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const clone = spawnSync('git', ['clone', '-q', root, dir], { stdio: 'inherit' });
  if (clone.status !== 0) throw new Error('git clone failed');
  const cloneMs = performance.now() - t0;
  const t1 = performance.now();
  const ci = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  if (ci.status !== 0) throw new Error('npm ci failed in the clone');
  const npmCiMs = performance.now() - t1;
  const dataDir = join(dir, 'data');
  const start = () =>
    timeStart('npm', ['start'], { cwd: dir, env: { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, readyUrl: (port) => `http://127.0.0.1:${port}/readyz`, timeoutMs: 20 * 60_000 });
  const first = await start();
  const second = await start();
  return { cloneMs, npmCiMs, first, second };
}
