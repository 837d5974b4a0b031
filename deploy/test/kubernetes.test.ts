// Static checks of deploy/k8s: every overlay renders, validates against the
// Kubernetes (and CRD) schemas, and follows the operating policy.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEPLOY_DIR, DEV_TEST_SECRETS, OVERLAYS, REPO_ROOT, parseYamlStream, podTemplates, renderOverlay, requireTool, type K8sObject, type Overlay } from './tools.js';
import { validateObject } from './schema-validation.js';

const kubectl = requireTool('kubectl', ['version', '--client']);
const rendered = new Map<Overlay, K8sObject[]>();
function render(overlay: Overlay): K8sObject[] {
  if (!rendered.has(overlay)) rendered.set(overlay, renderOverlay(overlay));
  return rendered.get(overlay)!;
}

/** Components that scale horizontally (all but the single metrics exporter and the dev data stores). */
const STATELESS = ['sync-server', 'auth', 'ai', 'snapshots', 'review', 'files', 'editor-app'];
const APP_COMPONENTS = STATELESS;
/** Pods allowed to reach Postgres and Redis (DESIGN: sync nodes and sidecars; plus the Redis exporter). */
const DATA_ACCESS = ['sync-server', 'auth', 'ai', 'snapshots', 'review', 'files', 'redis-exporter'];
/** Pods that store or export images: the only ones given the object store's keys and a way out to it. */
const OBJECT_STORE_ACCESS = ['files', 'snapshots'];
const SECRET_ENV_NAME = /KEY|SECRET|PASSWORD|TOKEN|PRIVATE/i;

const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const allContainers = (spec: any): any[] => [...(spec.initContainers ?? []), ...spec.containers];

for (const overlay of OVERLAYS) {
  describe(`k8s overlay ${overlay}`, { skip: kubectl.skip }, () => {
    test('renders with kubectl kustomize and every object validates against its schema', async () => {
      const objects = render(overlay);
      assert.ok(objects.length > 20, `expected a full stack, got ${objects.length} objects`);
      const errors: string[] = [];
      for (const object of objects) {
        try {
          await validateObject(object);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
      assert.deepEqual(errors, []);
    });

    test('every Copycloud component has a Deployment, a Service, an HPA and a PDB', () => {
      const objects = render(overlay);
      for (const name of APP_COMPONENTS) {
        for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
          assert.ok(named(objects, kind, name), `${kind}/${name} missing`);
        }
      }
      const unscaled = objects.filter((o) => o.kind === 'Deployment' && !named(objects, 'HorizontalPodAutoscaler', o.metadata.name)).map((o) => o.metadata.name);
      assert.deepEqual(unscaled, ['redis-exporter'], 'only the single Redis exporter runs without an HPA');
    });

    test('every container has probes, requests and limits, runs as non-root with a read-only root filesystem', () => {
      const problems: string[] = [];
      for (const { owner, spec } of podTemplates(render(overlay))) {
        for (const container of allContainers(spec)) {
          const where = `${owner.kind}/${owner.metadata.name}/${container.name}`;
          if (!container.readinessProbe) problems.push(`${where}: no readinessProbe`);
          if (!container.livenessProbe) problems.push(`${where}: no livenessProbe`);
          for (const bound of ['requests', 'limits']) {
            for (const resource of ['cpu', 'memory']) {
              if (!container.resources?.[bound]?.[resource]) problems.push(`${where}: no ${bound}.${resource}`);
            }
          }
          const nonRoot = container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
          const uid = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
          if (nonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
          if (typeof uid !== 'number' || uid === 0) problems.push(`${where}: runAsUser must be a non-zero uid`);
          if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
          if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
          for (const env of container.env ?? []) {
            if (SECRET_ENV_NAME.test(env.name) && 'value' in env) problems.push(`${where}: ${env.name} has a literal value (use a Secret)`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });

    test('Copycloud components: readiness on /readyz, liveness on /healthz', () => {
      for (const name of APP_COMPONENTS) {
        const deployment = named(render(overlay), 'Deployment', name)!;
        const container = deployment.spec.template.spec.containers[0];
        assert.equal(container.readinessProbe.httpGet.path, '/readyz', `${name} readiness`);
        assert.equal(container.livenessProbe.httpGet.path, '/healthz', `${name} liveness`);
      }
    });

    test('every HPA scales on 50% CPU with 60 s stabilization windows; sync nodes also on connections', () => {
      const hpas = render(overlay).filter((o) => o.kind === 'HorizontalPodAutoscaler');
      assert.deepEqual(hpas.map((h) => h.metadata.name).sort(), [...STATELESS].sort());
      for (const hpa of hpas) {
        const name = hpa.metadata.name;
        assert.equal(hpa.apiVersion, 'autoscaling/v2', name);
        const cpu = hpa.spec.metrics.find((m: any) => m.type === 'Resource' && m.resource.name === 'cpu');
        assert.deepEqual(cpu?.resource.target, { type: 'Utilization', averageUtilization: 50 }, `${name} CPU target`);
        assert.equal(hpa.spec.behavior?.scaleUp?.stabilizationWindowSeconds, 60, `${name} scaleUp window`);
        assert.equal(hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds, 60, `${name} scaleDown window`);
        assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas > hpa.spec.minReplicas, `${name} replica bounds`);
      }
      const sync = hpas.find((h) => h.metadata.name === 'sync-server')!;
      const connections = sync.spec.metrics.find((m: any) => m.type === 'Pods');
      assert.equal(connections?.pods.metric.name, 'copycloud_sync_connections');
      assert.ok(sync.spec.minReplicas >= 2, 'at least two sync nodes so a drain has somewhere to send clients');
    });

    test('a sync node has time to drain and flush: preStop + shutdown timeout fit in the grace period', () => {
      const deployment = named(render(overlay), 'Deployment', 'sync-server')!;
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      const preStop: string[] = container.lifecycle?.preStop?.exec?.command ?? [];
      assert.equal(preStop[0], 'sleep', 'preStop keeps the pod serving while endpoints update');
      const preStopSeconds = Number(preStop[1]);
      const shutdownMs = Number(container.env.find((e: any) => e.name === 'SHUTDOWN_TIMEOUT_MS')?.value);
      assert.ok(preStopSeconds >= 5, 'preStop long enough for the gateway to drop the endpoint');
      assert.ok(shutdownMs >= 10_000, 'SHUTDOWN_TIMEOUT_MS set explicitly');
      assert.ok(
        pod.terminationGracePeriodSeconds >= preStopSeconds + shutdownMs / 1000 + 5,
        `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} < preStop ${preStopSeconds} s + shutdown ${shutdownMs / 1000} s + 5 s`,
      );
      assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
    });

    test('only sync nodes and sidecars may reach Redis and Postgres', () => {
      const objects = render(overlay);
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress);
      assert.ok(deny && deny.spec.policyTypes.includes('Ingress') && deny.spec.policyTypes.includes('Egress'), 'a default-deny policy');
      const opensDataPorts = (p: K8sObject) =>
        (p.spec.egress ?? []).some((rule: any) => (rule.ports ?? []).some((port: any) => port.port === 5432 || port.port === 6379));
      const dataPolicies = policies.filter(opensDataPorts);
      assert.ok(dataPolicies.length > 0, 'some policy opens the data ports');
      for (const policy of dataPolicies) {
        assert.deepEqual(policy.spec.podSelector, { matchLabels: { 'copycloud.io/data-access': 'true' } }, policy.metadata.name);
      }
      const withAccess = podTemplates(objects)
        .filter((t) => t.labels['copycloud.io/data-access'] === 'true')
        .map((t) => t.owner.metadata.name)
        .sort();
      assert.deepEqual(withAccess, [...DATA_ACCESS].sort());
      if (overlay === 'dev') {
        const guard = policies.find((p) => p.spec.podSelector.matchExpressions?.[0]?.values?.includes('postgres'));
        assert.deepEqual(guard?.spec.ingress[0].from, [{ podSelector: { matchLabels: { 'copycloud.io/data-access': 'true' } } }]);
      }
    });

    test('FILES11 only files and snapshots get the object store: its keys (Secret copycloud-s3), the egress to it, and (dev) MinIO lets only them in', () => {
      const objects = render(overlay);
      const withKeys = podTemplates(objects)
        .filter((t) => allContainers(t.spec).some((c) => (c.envFrom ?? []).some((e: any) => /^copycloud-s3(-[a-z0-9]+)?$/.test(e.secretRef?.name ?? ''))))
        .map((t) => t.owner.metadata.name);
      const labelled = podTemplates(objects)
        .filter((t) => t.labels['copycloud.io/object-store-access'] === 'true')
        .map((t) => t.owner.metadata.name);
      assert.deepEqual(withKeys.sort(), OBJECT_STORE_ACCESS);
      assert.deepEqual(labelled.sort(), OBJECT_STORE_ACCESS);
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const https = policies.find((p) => p.metadata.name === 'allow-object-store-https-out')!;
      assert.deepEqual(https.spec.podSelector, { matchLabels: { 'copycloud.io/object-store-access': 'true' } });
      assert.deepEqual(https.spec.egress, [{ ports: [{ protocol: 'TCP', port: 443 }] }]);
      // Nothing else opens 443 but the AI sidecar's own policy.
      const opens443 = policies.filter((p) => (p.spec.egress ?? []).some((r: any) => (r.ports ?? []).some((port: any) => port.port === 443)));
      assert.deepEqual(opens443.map((p) => p.metadata.name).sort(), ['allow-ai-out', 'allow-object-store-https-out']);
      const files = named(objects, 'Deployment', 'files')!;
      const env = Object.fromEntries(files.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
      assert.equal(env.FILES_MAX_UPLOAD_BYTES, '10485760');
      if (overlay === 'dev') {
        const minioIn = policies.find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'minio')!;
        assert.deepEqual(minioIn.spec.ingress[0].from, [{ podSelector: { matchLabels: { 'copycloud.io/object-store-access': 'true' } } }]);
        const minioOut = policies.find((p) => p.metadata.name === 'allow-object-store-out')!;
        assert.deepEqual(minioOut.spec.podSelector, { matchLabels: { 'copycloud.io/object-store-access': 'true' } });
      }
    });

    test('FILES11 image routes reach the files service before the /api/docs prefix, with room for a 10 MiB upload', () => {
      const objects = render(overlay);
      const path = '/api/docs/abc/files/0b7d6e2c-1f0e-4c1a-9a53-3b1c2d4e5f60.png';
      if (overlay === 'prod-ingress-nginx') {
        const ingress = named(objects, 'Ingress', 'copycloud-files')!;
        const annotations = ingress.metadata.annotations!;
        assert.equal(annotations['nginx.ingress.kubernetes.io/use-regex'], 'true');
        assert.ok(parseInt(annotations['nginx.ingress.kubernetes.io/proxy-body-size']!, 10) > 10, 'body limit above 10 MiB (ingress-nginx defaults to 1m)');
        const paths = ingress.spec.rules[0].http.paths;
        assert.deepEqual(paths.map((p: any) => p.backend.service.name), ['files']);
        assert.match(path, new RegExp(`^${paths[0].path}`));
        assert.match('/api/docs/abc/files', new RegExp(`^${paths[0].path}`));
        return;
      }
      const route = named(objects, 'HTTPRoute', 'copycloud-http')!;
      const rule = route.spec.rules.find((r: any) => r.backendRefs.some((b: any) => b.name === 'files'));
      assert.ok(rule, 'a rule for the files service');
      assert.equal(rule.matches[0].path.type, 'RegularExpression', 'a regular expression wins over the /api/docs prefix (auth)');
      const regex = new RegExp(rule.matches[0].path.value);
      assert.match(path, regex);
      assert.match('/api/docs/abc/files', regex);
      assert.doesNotMatch('/api/docs/abc/filesystem', regex);
      assert.doesNotMatch('/api/docs/abc/versions', regex);
    });

    test('no Secret in the output holds a value from git', () => {
      const objects = render(overlay);
      const secrets = objects.filter((o) => o.kind === 'Secret');
      if (overlay === 'dev') {
        // Generated from the gitignored env files (here: the test's values).
        const fromTest = new Set(Object.values(DEV_TEST_SECRETS).flatMap((v) => Object.values(v)));
        for (const secret of secrets) {
          for (const [key, encoded] of Object.entries(secret.data ?? {})) {
            assert.ok(fromTest.has(Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString()), `${secret.metadata.name}.${key} did not come from the env file`);
          }
          assert.equal(secret.stringData, undefined);
        }
        assert.equal(secrets.length, 5);
      } else {
        assert.deepEqual(secrets.map((s) => s.metadata.name), [], 'prod Secrets come from ExternalSecrets only');
        const external = objects.filter((o) => o.kind === 'ExternalSecret').map((o) => o.spec.target.name).sort();
        assert.deepEqual(external, ['copycloud-ai', 'copycloud-auth', 'copycloud-database', 'copycloud-redis', 'copycloud-s3']);
      }
    });

    test('Redis and Postgres run in-cluster only in dev', () => {
      const sets = render(overlay).filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort();
      assert.deepEqual(sets, overlay === 'dev' ? ['minio', 'postgres', 'redis'] : []);
    });

    test('images are pinned (no :latest); prod pulls from a registry', () => {
      for (const { owner, spec } of podTemplates(render(overlay))) {
        for (const container of allContainers(spec)) {
          assert.match(container.image, /^[^/]+\.[^/]+\/|^[a-z0-9-]+\/[a-z0-9_-]+:|^[a-z0-9-]+:/, `${owner.metadata.name}: ${container.image}`);
          // Dev runs locally built copycloud/*:dev images; prod pulls released ones from a registry.
          if (overlay !== 'dev') assert.doesNotMatch(container.image, /^copycloud\//, `${owner.metadata.name}: unmapped image ${container.image}`);
          assert.doesNotMatch(container.image, /:latest$|^[^:]+$/, `${owner.metadata.name}: unpinned image ${container.image}`);
        }
      }
    });

    test('API1 the API document and reference page reach the editor app, which ships them (no service holds the merged document)', () => {
      const objects = render(overlay);
      // Every route match in the overlay, as (matches path?, backend): Gateway prefixes match whole segments,
      // regular expressions and ingress-nginx's regex paths are taken as unanchored at the end (the widest reading).
      const matchers: Array<{ matches: (path: string) => boolean; backend: string; what: string }> = [];
      for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
        for (const rule of route.spec.rules) {
          for (const match of rule.matches ?? []) {
            const { type, value } = match.path;
            const matches =
              type === 'RegularExpression'
                ? (path: string) => new RegExp(`^${value.replace(/^\^/, '')}`).test(path)
                : (path: string) => value === '/' || path === value || path.startsWith(`${value.replace(/\/$/, '')}/`);
            for (const ref of rule.backendRefs) matchers.push({ matches, backend: ref.name, what: `${route.metadata.name} ${type} ${value}` });
          }
        }
      }
      for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
        for (const rule of ingress.spec.rules) {
          for (const entry of rule.http.paths) {
            const regex = ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/use-regex'] === 'true';
            const matches = regex ? (path: string) => new RegExp(`^${entry.path}`, 'i').test(path) : (path: string) => entry.path === '/' || path === entry.path || path.startsWith(`${entry.path}/`);
            matchers.push({ matches, backend: entry.backend.service.name, what: `${ingress.metadata.name} ${entry.path}` });
          }
        }
      }
      for (const path of ['/api/openapi.json', '/api/reference', '/api/reference/scalar.js', '/api/reference/init.js']) {
        const hits = matchers.filter((m) => m.matches(path));
        assert.ok(hits.length > 0, `${path} is routed`);
        assert.deepEqual([...new Set(hits.map((m) => m.backend))], ['editor-app'], `${path} only matches the editor app: ${hits.map((m) => m.what).join(', ')}`);
      }
      // The checker can fail: a service path matches its service.
      assert.ok(matchers.some((m) => m.backend === 'review' && m.matches('/api/notifications')));
    });

    test('WebSockets are routed with consistent hashing on ?doc= and long timeouts', () => {
      const objects = render(overlay);
      if (overlay === 'prod-ingress-nginx') {
        assert.equal(objects.filter((o) => o.apiVersion.startsWith('gateway.')).length, 0, 'no Gateway API objects left');
        const ingress = named(objects, 'Ingress', 'copycloud-sync')!;
        const annotations = ingress.metadata.annotations!;
        assert.equal(annotations['nginx.ingress.kubernetes.io/upstream-hash-by'], '$arg_doc');
        assert.ok(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
        assert.ok(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 3600);
        const paths = ingress.spec.rules[0].http.paths;
        assert.ok(paths.every((p: any) => p.backend.service.name === 'sync-server'));
        assert.deepEqual(paths.map((p: any) => p.path).sort(), ['/sync', '/yjs']);
        return;
      }
      const route = named(objects, 'HTTPRoute', 'copycloud-sync')!;
      const rule = route.spec.rules[0];
      assert.deepEqual(rule.matches.map((m: any) => m.path.value).sort(), ['/sync', '/yjs']);
      assert.deepEqual(rule.backendRefs.map((b: any) => b.name), ['sync-server']);
      assert.equal(rule.timeouts.request, '0s', 'no request timeout on a WebSocket');
      const policy = named(objects, 'BackendTrafficPolicy', 'copycloud-sync-affinity')!;
      assert.deepEqual(policy.spec.targetRefs, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'copycloud-sync' }]);
      assert.deepEqual(policy.spec.loadBalancer, { type: 'ConsistentHash', consistentHash: { type: 'QueryParams', queryParams: [{ name: 'doc' }] } });
    });
  });
}

test('committed manifests hold no Secret data and the dev env files are gitignored', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry)) files.push(path);
    }
  };
  walk(join(DEPLOY_DIR, 'k8s'));
  walk(join(DEPLOY_DIR, 'monitoring'));
  for (const file of files) {
    for (const object of parseYamlStream(readFileSync(file, 'utf8'))) {
      if (object?.kind === 'Secret') assert.fail(`${relative(REPO_ROOT, file)}: a Secret object in git`);
    }
  }
  const check = spawnSync('git', ['check-ignore', '-q', 'deploy/k8s/overlays/dev/secrets/database.env'], { cwd: REPO_ROOT });
  assert.equal(check.status, 0, 'deploy/k8s/overlays/dev/secrets/*.env must be gitignored');
});
