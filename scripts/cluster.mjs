#!/usr/bin/env node
// `npm run cluster -- --nodes N [--port 8080]`: N sync nodes on localhost behind
// a real HAProxy (Debian package, installed with apt-get if missing) that
// hashes on the document id exactly like deploy/haproxy/sync-affinity.cfg.
// Env: REDIS_URL (default redis://127.0.0.1:6379), DATABASE_URL (default: the
// local Postgres, schema "copycloud_cluster"), AUTH_JWKS_URL (unset = AUTH_DISABLED).
// Ctrl-C stops everything: nodes get SIGTERM (they drain and flush), then HAProxy.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATE = join(ROOT, 'deploy/haproxy/sync-affinity.cfg');
const NODE_START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '2' }, port: { type: 'string', default: '8080' }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log('usage: npm run cluster -- --nodes N [--port 8080]');
  process.exit(0);
}
const nodeCount = Number(values.nodes);
let proxyPort = Number(values.port);
if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 32) fail(`--nodes must be an integer 1-32, got ${values.nodes}`);
if (!Number.isInteger(proxyPort) || proxyPort < 0 || proxyPort > 65535) fail(`--port must be a port number, got ${values.port}`);

function fail(message) {
  console.error(`cluster: ${message}`);
  process.exit(2);
}

function haproxyBinary() {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) {
    if (spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  return null;
}

function ensureHaproxy() {
  const found = haproxyBinary();
  if (found) return found;
  console.log('cluster: haproxy not found; installing the Debian package (apt-get install haproxy)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'haproxy']]) {
    const run = spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) fail(`${args.join(' ')} failed (exit ${run.status}); install haproxy and retry`);
  }
  return haproxyBinary() ?? fail('haproxy still not found after apt-get install');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function defaultDatabaseUrl() {
  const base = 'postgres://postgres@127.0.0.1:5432/test';
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query('CREATE SCHEMA IF NOT EXISTS copycloud_cluster');
  await client.end();
  const url = new URL(base);
  url.searchParams.set('options', '-c search_path=copycloud_cluster');
  return url.toString();
}

const children = new Set();
function startNode(index, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@copycloud/source', join(ROOT, 'sync-server/src/main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    const timer = setTimeout(() => reject(new Error(`node ${index} did not start within ${NODE_START_TIMEOUT_MS} ms`)), NODE_START_TIMEOUT_MS);
    child.once('exit', (code) => {
      children.delete(child);
      reject(new Error(`node ${index} exited with ${code}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = undefined;
      }
      if (entry?.msg === 'listening') {
        clearTimeout(timer);
        resolve(child);
      }
      if (!entry || entry.level >= 40 || entry.msg === 'listening') console.log(`[sync-${index}] ${entry ? `${entry.msg}` : line}`);
    });
  });
}

function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

const haproxy = ensureHaproxy();
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? (await defaultDatabaseUrl());
const workDir = mkdtempSync(join(tmpdir(), 'copycloud-cluster-'));
let stopping;
async function stopAll(code) {
  stopping ??= (async () => {
    console.log('\ncluster: stopping (nodes drain and flush, then the proxy)');
    const nodes = [...children].filter((c) => c !== proxyProcess);
    await Promise.all(nodes.map((c) => stopChild(c)));
    if (proxyProcess) await stopChild(proxyProcess, 'SIGUSR1'); // haproxy soft-stop
    rmSync(workDir, { recursive: true, force: true });
    console.log('cluster: stopped');
    process.exit(code);
  })();
  return stopping;
}
let proxyProcess;
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  if (proxyPort === 0) proxyPort = await freePort();
  const ports = [];
  for (let i = 1; i <= nodeCount; i++) ports.push(await freePort());
  await Promise.all(
    ports.map((port, i) =>
      startNode(i + 1, {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ID: `sync-${i + 1}`,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'copycloud-cluster',
        DATABASE_URL: databaseUrl,
        ...(process.env.AUTH_JWKS_URL ? {} : { AUTH_DISABLED: 'true' }),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      }),
    ),
  );
  const template = readFileSync(TEMPLATE, 'utf8');
  const servers = ports.map((port, i) => `    server sync-${i + 1} 127.0.0.1:${port}`).join('\n');
  const config = template
    .replace(/# SERVERS-BEGIN[\s\S]*# SERVERS-END/, `# SERVERS-BEGIN\n${servers}\n    # SERVERS-END`)
    .replace(/bind :8080/, `bind 127.0.0.1:${proxyPort}`);
  const configPath = join(workDir, 'haproxy.cfg');
  writeFileSync(configPath, config);
  const check = spawnSync(haproxy, ['-c', '-f', configPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy rejected the rendered config:\n${check.stdout}${check.stderr}`);
  proxyProcess = spawn(haproxy, ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(proxyProcess);
  proxyProcess.once('exit', (code) => {
    children.delete(proxyProcess);
    if (!stopping) {
      console.error(`cluster: haproxy exited with ${code}`);
      void stopAll(1);
    }
  });
  console.log(`cluster: ${nodeCount} sync nodes on ports ${ports.join(', ')}; HAProxy (hash on doc) on 127.0.0.1:${proxyPort}`);
  console.log(`cluster:   ws://127.0.0.1:${proxyPort}/sync?doc=ID    ws://127.0.0.1:${proxyPort}/yjs/ID?token=…`);
  console.log('cluster: Ctrl-C stops everything');
} catch (error) {
  console.error(`cluster: ${error.message}`);
  await stopAll(1);
}
