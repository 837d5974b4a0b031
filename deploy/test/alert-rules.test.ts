// The alert rules evaluated by Prometheus' own engine: `promtool test rules`
// runs deploy/monitoring/rules/copycloud.rules.test.yaml, where every alert has
// a case that fires and one that stays quiet, on series labelled as real
// scrapes label them (Kubernetes ServiceMonitors and the compose Prometheus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { DEPLOY_DIR, requireTool } from './tools.js';

const RULES_DIR = join(DEPLOY_DIR, 'monitoring/rules');
const RULES = join(RULES_DIR, 'copycloud.rules.yaml');
const FIXTURES = join(RULES_DIR, 'copycloud.rules.test.yaml');

const rules = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert?: string; expr: string }[] }[] };
const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
const fixtures = parseYaml(readFileSync(FIXTURES, 'utf8')) as {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
};

const promtool = requireTool('promtool', ['--version']);

test('OPS3 promtool test rules: every fixture in copycloud.rules.test.yaml passes', { skip: promtool.skip }, () => {
  const result = spawnSync('promtool', ['test', 'rules', 'copycloud.rules.test.yaml'], { cwd: RULES_DIR, encoding: 'utf8' });
  assert.equal(result.status, 0, `promtool test rules failed:\n${result.stdout}${result.stderr}`);
  assert.match(result.stdout, /SUCCESS/);
});

test('promtool check config: the compose Prometheus configuration and its rule file', { skip: promtool.skip }, () => {
  // The compose file mounts the rules at /etc/prometheus/rules/…: point a copy at the repository's file.
  const work = mkdtempSync(join(tmpdir(), 'copycloud-prometheus-'));
  try {
    const config = readFileSync(join(DEPLOY_DIR, 'prometheus/prometheus.yml'), 'utf8').replace('/etc/prometheus/rules/copycloud.rules.yaml', RULES);
    writeFileSync(join(work, 'prometheus.yml'), config);
    const result = spawnSync('promtool', ['check', 'config', join(work, 'prometheus.yml')], { encoding: 'utf8' });
    assert.equal(result.status, 0, `promtool check config failed:\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout, new RegExp(`SUCCESS: ${alerts.length} rules found`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('OPS3 every alert has a fixture where it fires and one where it stays quiet', () => {
  assert.deepEqual(fixtures.rule_files, ['copycloud.rules.yaml']);
  assert.ok(alerts.length >= 10, `found ${alerts.length} alerts`);
  const cases = fixtures.tests.flatMap((t) => t.alert_rule_test ?? []);
  const missing: string[] = [];
  for (const { alert } of alerts) {
    const own = cases.filter((c) => c.alertname === alert);
    if (!own.some((c) => c.exp_alerts.length > 0)) missing.push(`${alert}: no case where it fires`);
    if (!own.some((c) => c.exp_alerts.length === 0)) missing.push(`${alert}: no case where it stays quiet`);
  }
  const known = new Set(alerts.map((a) => a.alert));
  for (const c of cases) if (!known.has(c.alertname)) missing.push(`fixture for unknown alert ${c.alertname}`);
  assert.deepEqual(missing, []);
});

test('OPS4 CopycloudTargetDown matches the job of every scraped Copycloud target, in Kubernetes and in compose', () => {
  const targetDown = alerts.find((a) => a.alert === 'CopycloudTargetDown')!;
  const regex = /up\{job=~"([^"]+)"\}/.exec(targetDown.expr)?.[1];
  assert.ok(regex, targetDown.expr);
  const matches = (job: string) => new RegExp(`^(?:${regex})$`).test(job);

  // Kubernetes: jobLabel app.kubernetes.io/name → the job is the app name.
  const monitors = parseAllDocuments(readFileSync(join(DEPLOY_DIR, 'monitoring/service-monitors.yaml'), 'utf8')).map((d) => d.toJS());
  const k8sJobs: string[] = [];
  for (const monitor of monitors) {
    assert.equal(monitor.spec.jobLabel, 'app.kubernetes.io/name', `${monitor.metadata.name}: jobLabel`);
    const selector = monitor.spec.selector;
    k8sJobs.push(...(selector.matchLabels ? [selector.matchLabels['app.kubernetes.io/name']] : selector.matchExpressions[0].values));
  }
  assert.deepEqual(k8sJobs.sort(), ['ai', 'auth', 'files', 'redis-exporter', 'review', 'snapshots', 'sync-server']);

  // Compose: the same job names, and every target gets a pod label.
  const prometheus = parseYaml(readFileSync(join(DEPLOY_DIR, 'prometheus/prometheus.yml'), 'utf8'), { merge: true });
  const composeJobs = prometheus.scrape_configs.map((j: any) => j.job_name as string);
  assert.deepEqual([...composeJobs].sort(), [...k8sJobs].sort(), 'compose job names equal the Kubernetes ones');
  for (const job of [...k8sJobs, ...composeJobs]) assert.ok(matches(job), `CopycloudTargetDown ignores job ${job}`);
  for (const other of ['kubelet', 'prometheus', 'node-exporter']) assert.ok(!matches(other), `CopycloudTargetDown pages for ${other}`);
  for (const job of prometheus.scrape_configs) {
    const podRule = (job.relabel_configs ?? []).find((r: any) => r.target_label === 'pod');
    assert.ok(podRule, `${job.job_name}: relabels a pod label`);
    assert.deepEqual(podRule.source_labels, ['__address__']);
    // Prometheus anchors relabel regexes; the replacement is the host part.
    for (const target of job.static_configs.flatMap((s: any) => s.targets as string[])) {
      const match = new RegExp(`^(?:${podRule.regex})$`).exec(target);
      assert.ok(match, `${job.job_name}: ${target} matches the pod regex`);
      assert.equal(podRule.replacement.replace('$1', match[1]), target.split(':')[0]);
    }
  }
});
