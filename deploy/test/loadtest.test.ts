// The load test against a local two-node cluster (real sync nodes on one
// Postgres schema and one Redis prefix): it reports numbers and its exit code
// follows the SLO given on the command line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSchema, freePort, waitFor, type TestSchema } from '@copycloud/testing';
import type { LoadTestReport } from '../../tools/loadtest/src/index.js';
import { REPO_ROOT, requireTool } from './tools.js';
import { spawnService, type RunningService } from './services.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOADTEST_MAIN = join(REPO_ROOT, 'tools/loadtest/src/main.ts');

interface LoadTestRun {
  code: number | null;
  report: LoadTestReport | undefined;
  stderr: string;
}

function runLoadTest(args: string[]): Promise<LoadTestRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@copycloud/source', LOADTEST_MAIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop();
      resolve({ code, report: last ? (JSON.parse(last) as LoadTestReport) : undefined, stderr });
    }),
  );
}

async function metric(node: RunningService, name: string): Promise<number> {
  const text = await (await fetch(`${node.httpUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

const ws = (node: RunningService) => `${node.httpUrl.replace('http', 'ws')}/sync`;

describe('loadtest against two sync nodes sharing Postgres and Redis', () => {
  let schema: TestSchema;
  const nodes: RunningService[] = [];

  before(async () => {
    schema = await createTestSchema('loadtest');
    const prefix = `test-loadtest-${randomBytes(4).toString('hex')}`;
    const env = (id: string) => ({ DATABASE_URL: schema.url, REDIS_URL, REDIS_PREFIX: prefix, AUTH_DISABLED: 'true', NODE_ID: id, LOG_LEVEL: 'warn' });
    nodes.push(await spawnService('sync-1', 'sync-server/src/main.ts', { ...env('sync-1'), LOG_LEVEL: 'info' }));
    nodes.push(await spawnService('sync-2', 'sync-server/src/main.ts', { ...env('sync-2'), LOG_LEVEL: 'info' }));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema?.drop();
  });

  test('documents spanning both nodes: every edit reaches the other client, numbers reported, SLO met → exit 0', async () => {
    const run = await runLoadTest([
      '--url', ws(nodes[0]!), '--url', ws(nodes[1]!),
      '--clients', '8', '--docs', '4', '--rate', '40', '--duration', '3',
      '--slo-p99-ms', '60000', '--slo-error-rate', '0',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.equal(report.connected, 8);
    assert.equal(report.edits, 120, 'rate × duration edits');
    assert.equal(report.deliveries, 120, 'each edit seen by the document’s other client');
    assert.equal(report.lost, 0);
    assert.equal(report.errors.total, 0);
    assert.equal(report.latencyMs.count, 120);
    assert.ok(report.latencyMs.p50! > 0 && report.latencyMs.p99! >= report.latencyMs.p50!);
    assert.ok(report.slo.passed);
    assert.match(run.stderr, /t=1\.\ds connected=8\/8 edits=\d+ delivered=\d+ last1s p50=/, 'live line every second');
    // Every document had one client per node: edits crossed nodes through Redis.
    const propagated = (await metric(nodes[0]!, 'copycloud_sync_propagation_seconds_count')) + (await metric(nodes[1]!, 'copycloud_sync_propagation_seconds_count'));
    assert.ok(propagated > 0, 'cross-node propagation observed by the nodes');
    console.log(`loadtest two nodes via Redis: ${JSON.stringify(report.latencyMs)}`);
  });

  test('an SLO that cannot be met → exit 1 with the violation in the report', async () => {
    const run = await runLoadTest([
      '--url', ws(nodes[0]!), '--url', ws(nodes[1]!),
      '--clients', '4', '--docs', '2', '--rate', '20', '--duration', '1', '--slo-p99-ms', '0',
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.report!.slo.passed, false);
    assert.match(run.report!.slo.violations[0]!, /^p99 latency .* > 0 ms$/);
    assert.match(run.stderr, /SLO MISSED/);
  });

  test('bad arguments → exit 2 naming every problem', async () => {
    const run = await runLoadTest(['--url', 'http://nope', '--clients', '1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--url: must start with ws/);
    assert.match(run.stderr, /--docs: required/);
    assert.equal(run.report, undefined);
  });

  const haproxy = requireTool('haproxy', ['-v']);
  test('through HAProxy hashing on ?doc=: documents spread over both nodes, each kept on one', { skip: haproxy.skip }, async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'copycloud-haproxy-'));
    const config = join(dir, 'haproxy.cfg');
    const backend = (node: RunningService) => new URL(node.httpUrl).host;
    // The same balancing lines as deploy/haproxy/haproxy.cfg (checked in images.test.ts).
    writeFileSync(config, [
      'defaults', '  mode http', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s', '  timeout tunnel 1h',
      'frontend copycloud', `  bind 127.0.0.1:${port}`, '  default_backend sync',
      'backend sync', '  balance url_param doc', '  hash-type consistent',
      `  server sync-1 ${backend(nodes[0]!)}`, `  server sync-2 ${backend(nodes[1]!)}`, '',
    ].join('\n'));
    const proxy = spawn('haproxy', ['-db', '-f', config], { stdio: 'ignore' });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, { timeoutMs: 15_000, message: 'haproxy up' });
      const before = await Promise.all(nodes.map((n) => metric(n, 'copycloud_sync_sockets_opened_total')));
      const run = await runLoadTest([
        '--url', `ws://127.0.0.1:${port}/sync`, '--doc-prefix', 'affinity',
        '--clients', '16', '--docs', '8', '--rate', '40', '--duration', '2', '--slo-error-rate', '0',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.report!.lost, 0);
      const after = await Promise.all(nodes.map((n) => metric(n, 'copycloud_sync_sockets_opened_total')));
      const opened = after.map((v, i) => v - before[i]!);
      assert.equal(opened[0]! + opened[1]!, 16);
      assert.ok(opened.every((n) => n > 0 && n % 2 === 0), `both clients of a document on one node, both nodes used: ${opened}`);
    } finally {
      proxy.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

