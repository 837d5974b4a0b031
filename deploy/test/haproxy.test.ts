// The compose proxy as shipped: the real `haproxy` binary runs
// deploy/haproxy/haproxy.cfg unmodified (only its address variables are set)
// in front of the real services, each its own process. Every backend must be
// UP by HAProxy's own health checks, and the smoke test CI runs against the
// compose stack must pass through it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestSchema, freePort, waitFor, type TestSchema } from '@copycloud/testing';
import { runSmoke } from '../smoke/smoke.js';
import { DEPLOY_DIR, requireTool } from './tools.js';
import { spawnService, type RunningService } from './services.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HAPROXY_CFG = join(DEPLOY_DIR, 'haproxy/haproxy.cfg');
/** Every backend and server the shipped config declares. */
const BACKEND_SERVERS = ['sync/sync-1', 'sync/sync-2', 'auth/auth', 'ai/ai', 'snapshots/snapshots', 'files/files', 'review/review', 'app/app'];

interface StatsRow {
  pxname: string;
  svname: string;
  status: string;
  check_status: string;
  check_code: string;
  [column: string]: string;
}

/** HAProxy's stats page as CSV (`/stats;csv`), one object per proxy/server row. */
async function stats(statsUrl: string): Promise<StatsRow[]> {
  const response = await fetch(`${statsUrl}/stats;csv`);
  assert.equal(response.status, 200, 'stats page');
  const [header, ...rows] = (await response.text()).trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((value, i) => [columns[i]!, value])) as StatsRow);
}

/** The editor app's nginx answers /readyz and serves the SPA; this stands in for it (no nginx here). */
function startAppStandIn(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/readyz' || req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Copycloud</title>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const haproxy = requireTool('haproxy', ['-v']);

describe('compose HAProxy (deploy/haproxy/haproxy.cfg as shipped) in front of the real services', { skip: haproxy.skip }, () => {
  let schema: TestSchema;
  const services = new Map<string, RunningService>();
  let app: Server;
  let proxy: ChildProcess | undefined;
  const proxyLog: string[] = [];
  let proxyUrl = '';
  let statsUrl = '';
  const filesDir = mkdtempSync(join(tmpdir(), 'copycloud-haproxy-files-'));

  const hostPort = (url: string) => new URL(url).host;

  before(async () => {
    schema = await createTestSchema('haproxy');
    const prefix = `test-haproxy-${randomBytes(4).toString('hex')}`;
    const common = { DATABASE_URL: schema.url };
    const auth = await spawnService('auth', 'services/auth/src/main.ts', { ...common, REDIS_URL, REDIS_PREFIX: prefix });
    services.set('auth', auth);
    const jwks = { AUTH_JWKS_URL: `${auth.httpUrl}/.well-known/jwks.json` };
    const [sync1, sync2, ai, snapshots, files, review] = await Promise.all([
      spawnService('sync-1', 'sync-server/src/main.ts', { ...common, ...jwks, REDIS_URL, REDIS_PREFIX: prefix, NODE_ID: 'sync-1' }),
      spawnService('sync-2', 'sync-server/src/main.ts', { ...common, ...jwks, REDIS_URL, REDIS_PREFIX: prefix, NODE_ID: 'sync-2' }),
      spawnService('ai', 'services/ai/src/main.ts', { ...common, ...jwks }),
      spawnService('snapshots', 'services/snapshots/src/main.ts', { ...common, ...jwks, REDIS_URL, REDIS_PREFIX: prefix }),
      // Files on disk here (compose uses MinIO).
      spawnService('files', 'services/files/src/main.ts', { ...common, ...jwks, DATA_DIR: filesDir }),
      spawnService('review', 'services/review/src/main.ts', { ...common, ...jwks, REDIS_URL, REDIS_PREFIX: prefix }),
    ]);
    services.set('sync-1', sync1).set('sync-2', sync2).set('ai', ai).set('snapshots', snapshots).set('files', files).set('review', review);
    app = await startAppStandIn();
    const appPort = (app.address() as { port: number }).port;

    const [proxyPort, statsPort] = [await freePort(), await freePort()];
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    statsUrl = `http://127.0.0.1:${statsPort}`;
    const env = {
      ...process.env,
      PROXY_BIND: `127.0.0.1:${proxyPort}`,
      STATS_BIND: `127.0.0.1:${statsPort}`,
      SYNC_1_ADDR: hostPort(sync1.httpUrl),
      SYNC_2_ADDR: hostPort(sync2.httpUrl),
      AUTH_ADDR: hostPort(auth.httpUrl),
      AI_ADDR: hostPort(ai.httpUrl),
      SNAPSHOTS_ADDR: hostPort(snapshots.httpUrl),
      FILES_ADDR: hostPort(files.httpUrl),
      REVIEW_ADDR: hostPort(review.httpUrl),
      APP_ADDR: `127.0.0.1:${appPort}`,
    };
    const check = spawnSync('haproxy', ['-c', '-f', HAPROXY_CFG], { env, encoding: 'utf8' });
    assert.equal(check.status, 0, `haproxy -c rejected the shipped config:\n${check.stdout}${check.stderr}`);
    proxy = spawn('haproxy', ['-db', '-f', HAPROXY_CFG], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [proxy.stdout!, proxy.stderr!]) createInterface({ input: stream }).on('line', (line) => proxyLog.push(line));
    await waitFor(async () => (await fetch(`${proxyUrl}/haproxy-health`)).ok, { timeoutMs: 15_000, message: `haproxy up\n${proxyLog.join('\n')}` });
  });

  after(async () => {
    proxy?.kill('SIGUSR1'); // soft stop
    await Promise.all([...services.values()].map((s) => s.stop()));
    await new Promise((resolve) => app?.close(resolve));
    await schema?.drop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  test('OPS1 every backend server is UP by its HTTP/1.1 health check (L7OK 200 on /readyz)', async () => {
    // A checked server starts UP and goes DOWN on its first failed check: wait
    // until every server has been checked, then require a passing check.
    const rows = await waitFor(
      async () => {
        const all = await stats(statsUrl);
        const servers = all.filter((r) => r.svname !== 'FRONTEND' && r.svname !== 'BACKEND');
        const checked = servers.filter((r) => r.check_status && !r.check_status.startsWith('INI'));
        assert.equal(checked.length, BACKEND_SERVERS.length, `checked so far: ${checked.map((r) => `${r.pxname}/${r.svname}`).join(', ')}`);
        return servers;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'every server checked once' },
    );
    assert.deepEqual(rows.map((r) => `${r.pxname}/${r.svname}`).sort(), [...BACKEND_SERVERS].sort());
    const report = rows.map((r) => `${r.pxname}/${r.svname} ${r.status} ${r.check_status} ${r.check_code}`);
    for (const row of rows) {
      assert.equal(row.status, 'UP', report.join('\n'));
      assert.equal(row.check_status, 'L7OK', report.join('\n'));
      assert.equal(row.check_code, '200', report.join('\n'));
    }
    const backends = (await stats(statsUrl)).filter((r) => r.svname === 'BACKEND');
    for (const backend of backends) assert.equal(backend.status, 'UP', `backend ${backend.pxname}`);
  });

  test('OPS2 smoke through the proxy: sign up, create a document, clients on both nodes and the proxy converge, /metrics of each service', async () => {
    const steps = await runSmoke({
      proxyUrl,
      syncUrls: [services.get('sync-1')!, services.get('sync-2')!].map((s) => s.httpUrl.replace(/^http/, 'ws')),
      metricsUrls: Object.fromEntries([...services].map(([name, s]) => [name, s.httpUrl])),
    });
    assert.ok(steps.every((s) => s.ok));
    assert.ok(steps.length >= 12, steps.map((s) => s.step).join('\n'));
    // The proxy's access log carries paths only, never the token in /sync?…&token or /yjs/ID?token=.
    assert.ok(proxyLog.some((line) => line.includes('"/api/auth/signup"')), `access log:\n${proxyLog.join('\n')}`);
  });

  test('OPS8 comments, suggestions, the document webhook and notifications route to the review service; other document routes stay with auth; API1 the API document and reference page reach the editor app', async () => {
    const routes: Array<[string, string, string]> = [
      ['GET', '/api/docs/doc-route-1/comments', 'review/review'],
      ['POST', '/api/docs/doc-route-1/comments/t1/replies', 'review/review'],
      ['POST', '/api/docs/doc-route-1/suggestions', 'review/review'],
      ['PUT', '/api/docs/doc-route-1/webhook', 'review/review'],
      ['GET', '/api/notifications', 'review/review'],
      ['POST', '/api/notifications/read', 'review/review'],
      ['GET', '/api/docs/doc-route-1/members', 'auth/auth'],
      ['GET', '/api/docs/doc-route-1/versions', 'snapshots/snapshots'],
      // API1: the document and reference page are static files of the editor app's image (deploy/nginx/editor-app.conf).
      ['GET', '/api/openapi.json', 'app/app'],
      ['GET', '/api/reference', 'app/app'],
      ['GET', '/api/reference/scalar.js', 'app/app'],
      ['GET', '/api/reference/init.js', 'app/app'],
    ];
    for (const [method, path, backend] of routes) {
      // No token: every service answers 401 itself, so the access log tells which one did.
      const response = await fetch(`${proxyUrl}${path}`, { method });
      assert.ok(response.status < 500, `${method} ${path}: ${response.status}`);
      await waitFor(
        () => assert.ok(proxyLog.some((line) => line.includes(` ${backend} `) && line.includes(`"${path}"`)), `${path} via ${backend}\n${proxyLog.slice(-10).join('\n')}`),
        { timeoutMs: 5_000, intervalMs: 50, message: `${method} ${path} logged as ${backend}` },
      );
    }
  });
});
