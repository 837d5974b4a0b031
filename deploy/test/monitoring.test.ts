// The dashboard and the alert rules only name metrics the services really
// export: each service's real main is started and its /metrics scraped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { DEPLOY_DIR } from './tools.js';
import { exportedNames, spawnService, type RunningService } from './services.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Exported by the platform, not by Copycloud: cAdvisor (kubelet), Prometheus itself, redis_exporter. */
const INFRASTRUCTURE_METRICS = new Set(['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'up', 'redis_up']);

/**
 * Metrics a panel or rule may name before the service exporting them exists.
 * Empty now: every service has landed. Add an entry only with the service
 * that will export it; the test fails once it is exported (remove it then).
 */
const PENDING_METRICS = new Map<string, string>();

const SERVICES: { name: string; main: string; env: (db: string, prefix: string) => Record<string, string> }[] = [
  { name: 'sync-server', main: 'sync-server/src/main.ts', env: (db, prefix) => ({ DATABASE_URL: db, REDIS_URL, REDIS_PREFIX: prefix, AUTH_DISABLED: 'true' }) },
  { name: 'auth', main: 'services/auth/src/main.ts', env: (db, prefix) => ({ DATABASE_URL: db, REDIS_URL, REDIS_PREFIX: prefix }) },
  { name: 'ai', main: 'services/ai/src/main.ts', env: (db) => ({ DATABASE_URL: db, AUTH_DISABLED: 'true' }) },
  { name: 'snapshots', main: 'services/snapshots/src/main.ts', env: (db, prefix) => ({ DATABASE_URL: db, REDIS_URL, REDIS_PREFIX: prefix, AUTH_DISABLED: 'true' }) },
  // Files on disk in a temporary folder (nothing is uploaded: only /metrics is read).
  { name: 'files', main: 'services/files/src/main.ts', env: (db, prefix) => ({ DATABASE_URL: db, AUTH_DISABLED: 'true', DATA_DIR: join(tmpdir(), prefix) }) },
];

interface Expression {
  where: string;
  expr: string;
}

function dashboardExpressions(): Expression[] {
  const dashboard = JSON.parse(readFileSync(join(DEPLOY_DIR, 'monitoring/grafana-dashboard.json'), 'utf8'));
  return dashboard.panels.flatMap((panel: any) =>
    (panel.targets ?? []).map((t: any) => ({ where: `panel "${panel.title}" ${t.refId}`, expr: t.expr as string })),
  );
}

function ruleExpressions(): Expression[] {
  const rule = parseYaml(readFileSync(join(DEPLOY_DIR, 'monitoring/prometheus-rules.yaml'), 'utf8'));
  return rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => ({ where: `rule ${r.alert ?? r.record}`, expr: String(r.expr) })));
}

/** Metric names in a PromQL expression (vector selectors), failing on syntax errors. */
function metricNames(expr: string): string[] {
  // Grafana variables are not PromQL: substitute a plain value before parsing.
  const promql = expr.replace(/\$\{?[a-z_]+\}?/gi, 'x');
  const names: string[] = [];
  let error: string | undefined;
  parser.parse(promql).iterate({
    enter(node) {
      if (node.type.isError) error ??= `syntax error at ${node.from}: ${JSON.stringify(promql.slice(node.from, node.from + 20))}`;
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.push(promql.slice(identifier.from, identifier.to));
      }
    },
  });
  if (error) throw new Error(error);
  return names;
}

describe('monitoring names only exported metrics', () => {
  let schema: TestSchema;
  const running: RunningService[] = [];
  const exported = new Map<string, Set<string>>();
  const pages = new Map<string, string>();

  before(async () => {
    schema = await createTestSchema('monitoring');
    const prefix = `test-monitoring-${randomBytes(4).toString('hex')}`;
    // Sync first: its migrations create the core tables the sidecars build on.
    const [first, ...rest] = SERVICES;
    running.push(await spawnService(first!.name, first!.main, first!.env(schema.url, prefix)));
    running.push(...(await Promise.all(rest.map((s) => spawnService(s.name, s.main, s.env(schema.url, prefix))))));
    for (const service of running) {
      const response = await fetch(`${service.httpUrl}/metrics`);
      assert.equal(response.status, 200, `${service.name} /metrics`);
      const text = await response.text();
      pages.set(service.name, text);
      exported.set(service.name, exportedNames(text));
    }
  });

  after(async () => {
    await Promise.all(running.map((s) => s.stop()));
    await schema?.drop();
  });

  test('every service exports its own metrics on /metrics', () => {
    assert.ok(exported.get('sync-server')!.has('copycloud_sync_connections'));
    assert.ok(exported.get('sync-server')!.has('copycloud_sync_propagation_seconds_bucket'), 'Redis fan-out metrics register when REDIS_URL is set');
    assert.ok(exported.get('auth')!.has('copycloud_auth_logins_total'));
    assert.ok(exported.get('ai')!.has('copycloud_ai_tokens_total'));
    assert.ok(exported.get('snapshots')!.has('copycloud_snapshots_update_log_rows'));
    assert.ok(exported.get('files')!.has('copycloud_files_sweep_runs_total'));
  });

  test('OPS6 counters and histograms start at 0 for every known label set (a fresh deployment shows 0, not "No data")', () => {
    const expected: [service: string, metric: string, labels: string[]][] = [
      ['auth', 'copycloud_auth_logins_total', ['result="ok"', 'result="failed"', 'result="rate_limited"']],
      ['auth', 'copycloud_auth_document_tokens_total', ['role="owner"', 'role="editor"', 'role="commenter"', 'role="viewer"']],
      ['ai', 'copycloud_ai_tokens_total', ['direction="input"', 'direction="output"']],
      ['ai', 'copycloud_ai_requests_total', ['endpoint="complete"', 'endpoint="rewrite"']],
      ['ai', 'copycloud_ai_errors_total', ['code="upstream_unavailable"', 'code="rate_limited"']],
      ['ai', 'copycloud_ai_request_duration_seconds_count', ['endpoint="complete"']],
      ['sync-server', 'copycloud_sync_redis_heals_total', ['reason="sequence-gap"', 'reason="trailing-loss"', 'reason="digest-mismatch"', 'reason="reconnect"']],
      ['sync-server', 'copycloud_sync_redis_publishes_total', ['kind="update"', 'kind="awareness"']],
      ['sync-server', 'copycloud_sync_updates_total', ['origin="connection"', 'origin="redis"', 'origin="restore"']],
      ['snapshots', 'copycloud_snapshots_compactions_total', ['result="compacted"', 'result="skipped"', 'result="failed"']],
      ['snapshots', 'copycloud_snapshots_versions_created_total', ['kind="auto"', 'kind="named"', 'kind="restore"']],
      ['files', 'copycloud_files_sweep_runs_total', ['result="ok"', 'result="failed"']],
    ];
    const missing: string[] = [];
    for (const [service, metric, labels] of expected) {
      const lines = pages.get(service)!.split('\n').filter((l) => l.startsWith(`${metric}{`));
      for (const label of labels) {
        if (!lines.some((l) => l.includes(label) && / 0$/.test(l))) missing.push(`${service}: ${metric}{${label}} 0`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('OPS3 CopycloudPropagationSlow can fire: the exported propagation histogram has buckets above its threshold', () => {
    const rule = parseYaml(readFileSync(join(DEPLOY_DIR, 'monitoring/prometheus-rules.yaml'), 'utf8'));
    const slow = rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'CopycloudPropagationSlow');
    const threshold = Number(/> (\d+(?:\.\d+)?)\s*$/.exec(String(slow.expr).trim())?.[1]);
    assert.ok(threshold > 0, slow.expr);
    const bounds = pages
      .get('sync-server')!
      .split('\n')
      .filter((l) => l.startsWith('copycloud_sync_propagation_seconds_bucket{'))
      .map((l) => /le="([^"]+)"/.exec(l)?.[1])
      .filter((le): le is string => le !== undefined && le !== '+Inf')
      .map(Number);
    // histogram_quantile never answers above the largest finite bucket bound.
    assert.ok(Math.max(...bounds) > threshold, `largest finite bucket ${Math.max(...bounds)} ≤ ${threshold}`);
  });

  test('every PromQL expression in the dashboard and the rules parses and names exported metrics', () => {
    const all = new Set([...exported.values()].flatMap((names) => [...names]));
    const expressions = [...dashboardExpressions(), ...ruleExpressions()];
    assert.ok(expressions.length >= 20, `found ${expressions.length} expressions`);
    const problems: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of expressions) {
      let names: string[];
      try {
        names = metricNames(expr);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
        continue;
      }
      if (names.length === 0) problems.push(`${where}: names no metric`);
      for (const name of names) {
        used.add(name);
        if (all.has(name) || INFRASTRUCTURE_METRICS.has(name)) continue;
        if (PENDING_METRICS.has(name)) continue;
        problems.push(`${where}: ${name} is exported by no service`);
      }
    }
    for (const [name, owner] of PENDING_METRICS) {
      if (all.has(name)) problems.push(`${name} is exported now (by ${owner}): remove it from PENDING_METRICS`);
    }
    assert.deepEqual(problems, []);
    // The dashboard covers what the issue asks an operator to watch.
    for (const name of [
      'copycloud_sync_connections',
      'copycloud_sync_documents_open',
      'copycloud_sync_propagation_seconds_bucket',
      'copycloud_sync_updates_total',
      'copycloud_sync_store_latency_seconds_bucket',
      'copycloud_sync_update_log_backlog',
      'copycloud_ai_tokens_total',
      'copycloud_ai_errors_total',
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
    ]) {
      assert.ok(used.has(name), `nothing shows ${name}`);
    }
  });
});

test('dashboard JSON is a Grafana dashboard with unique panel ids', () => {
  const dashboard = JSON.parse(readFileSync(join(DEPLOY_DIR, 'monitoring/grafana-dashboard.json'), 'utf8'));
  assert.equal(dashboard.uid, 'copycloud-overview');
  const ids = dashboard.panels.map((p: any) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const panel of dashboard.panels) assert.ok(panel.targets?.length, `panel "${panel.title}" has queries`);
});

test('alerts cover propagation, errors, leaks, backlog and Redis; compose rules equal the PrometheusRule', () => {
  const rule = parseYaml(readFileSync(join(DEPLOY_DIR, 'monitoring/prometheus-rules.yaml'), 'utf8'));
  const plain = parseYaml(readFileSync(join(DEPLOY_DIR, 'monitoring/rules/copycloud.rules.yaml'), 'utf8'));
  assert.deepEqual(plain.groups, rule.spec.groups, 'deploy/monitoring/rules/copycloud.rules.yaml drifted from prometheus-rules.yaml');
  const alerts = new Map<string, any>(rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => [r.alert, r])));
  const propagation = alerts.get('CopycloudPropagationSlow');
  assert.match(propagation.expr, /histogram_quantile\(0\.99,.*copycloud_sync_propagation_seconds_bucket.*> 1$/);
  assert.equal(propagation.for, '5m');
  assert.match(alerts.get('CopycloudDocumentsLeaking').expr, /copycloud_sync_documents_without_clients/);
  assert.match(alerts.get('CopycloudUpdateLogBacklogGrowing').expr, /deriv\(copycloud_sync_update_log_backlog/);
  assert.match(alerts.get('CopycloudRedisDown').expr, /redis_up/);
  assert.match(alerts.get('CopycloudStoreFailing').expr, /copycloud_sync_store_failures_total/);
  assert.match(alerts.get('CopycloudAIErrorRateHigh').expr, /copycloud_ai_errors_total/);
});
