// `npm run bench:start`: what a start costs, from dist, the way `npm start`,
// the e2e fixture and a container run it. Reports, never asserts.
//   - the all-in-one launcher (embedded PGlite) to its "listening" log line:
//     with an empty DATA_DIR and no PGlite template yet (the first start after
//     a clone or a schema change: initdb + migrations, then kept as the
//     template), with an empty DATA_DIR and the template (every later new
//     database: a copy), and again on the same DATA_DIR (restart);
//   - a sync node on Postgres (sync-server/dist/main.js, DATABASE_URL) to
//     `/readyz` 200.
// Wall time from spawn, and the CPU-seconds the process spent until then
// (Linux /proc: utime + stime of the process and its waited-for children).
// Run `npm run build` (or turbo for launcher + sync-server) first.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK_TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const START_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 10;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  readyMs: number;
  cpuS: number;
}

function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime=14, stime=15, cutime=16, cstime=17.
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_S;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Spawns `node main`, resolves when `ready(child)` does; CPU is read at that moment. */
async function timeStart(main: string, env: Record<string, string>, ready: (child: ChildProcess, port: number) => Promise<void>, port: number): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [main], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  try {
    await Promise.race([
      ready(child, port),
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${main} exited with ${code} before it was ready\n${output}`)))),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${main}: not ready within ${START_TIMEOUT_MS} ms\n${output}`)), START_TIMEOUT_MS).unref()),
    ]);
    return { readyMs: Math.round(performance.now() - started), cpuS: cpuSecondsOf(child.pid!) };
  } finally {
    await stop(child);
  }
}

function listeningLine(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      if (/"msg":"listening"/.test(pending)) resolve();
    });
  });
}

async function readyz(child: ChildProcess, port: number): Promise<void> {
  child.stdout!.resume();
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

let nextPort = 20_000 + (process.pid % 20_000);

async function launcher(dataDir: string, templateDir: string): Promise<Sample> {
  const env = { DATA_DIR: dataDir, PGLITE_TEMPLATE_DIR: templateDir, AUTH_DISABLED: 'true', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  return timeStart('launcher/dist/main.js', env, listeningLine, 0);
}

async function syncNodeOnPostgres(): Promise<Sample> {
  const env = { DATABASE_URL, REDIS_URL, REDIS_PREFIX: `bench-start-${process.pid}`, AUTH_DISABLED: 'true', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  return timeStart('sync-server/dist/main.js', env, readyz, nextPort++);
}

function summary(samples: Sample[]) {
  const sorted = (k: keyof Sample) => samples.map((s) => s[k]).sort((a, b) => a - b);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
  return { readyMsMedian: median(sorted('readyMs')), cpuSMedian: median(sorted('cpuS')), samples };
}

for (const main of ['launcher/dist/main.js', 'sync-server/dist/main.js']) {
  if (!existsSync(join(ROOT, main))) throw new Error(`${main} is missing: run "npm run build" first`);
}

const loadBefore = loadavg()[0] ?? 0;
// A template directory of the bench's own: the cold case starts without one,
// and the shared cache (which e2e servers may be copying from) is never touched.
const templateRoot = mkdtempSync(join(tmpdir(), 'bench-start-templates-'));
const noTemplate: Sample[] = [];
const fresh: Sample[] = [];
const restart: Sample[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const templateDir = join(templateRoot, String(i));
    const dataDirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'bench-start-')));
    try {
      noTemplate.push(await launcher(dataDirs[0]!, templateDir));
      fresh.push(await launcher(dataDirs[1]!, templateDir));
      restart.push(await launcher(dataDirs[1]!, templateDir));
    } finally {
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(templateRoot, { recursive: true, force: true });
}
const postgres: Sample[] = [];
for (let i = 0; i < RUNS; i++) postgres.push(await syncNodeOnPostgres());

const result = {
  bench: 'start',
  at: new Date().toISOString(),
  node: process.version,
  loadAverage1m: { before: loadBefore, after: loadavg()[0] ?? 0 },
  launcher: { emptyDataDirNoTemplate: summary(noTemplate), emptyDataDir: summary(fresh), existingDataDir: summary(restart) },
  syncNodePostgres: summary(postgres),
};
const rows: [string, ReturnType<typeof summary>][] = [
  ['launcher, empty DATA_DIR, no template yet (builds it) → "listening"', result.launcher.emptyDataDirNoTemplate],
  ['launcher, empty DATA_DIR, from the template → "listening"', result.launcher.emptyDataDir],
  ['launcher, existing DATA_DIR → "listening"', result.launcher.existingDataDir],
  ['sync node on Postgres → /readyz 200', result.syncNodePostgres],
];
console.log(`| case | wall ms (median of ${RUNS}) | CPU s (median) |\n|---|---|---|`);
for (const [name, s] of rows) console.log(`| ${name} | ${s.readyMsMedian} | ${s.cpuSMedian.toFixed(2)} |`);
console.log(`load average (1 min) before ${loadBefore.toFixed(1)}, after ${result.loadAverage1m.after.toFixed(1)}`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const file = join(ROOT, 'bench/results', `start-${result.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${file}`);
