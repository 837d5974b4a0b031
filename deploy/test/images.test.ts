// Static checks of the container images, the compose stack, the local proxy
// and the GitHub workflow (no Docker engine runs here).
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEPLOY_DIR, REPO_ROOT } from './tools.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, any> };
const workflow = parseYaml(read('.github/workflows/ci.yml')) as any;

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

/** Dockerfile stages, with continuation lines joined. */
function stages(dockerfile: string): Stage[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ from: from[1]!, name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

const DOCKERFILES = readdirSync(join(DEPLOY_DIR, 'docker')).filter((f) => f.endsWith('.Dockerfile'));

test('Dockerfiles: multi-stage, npm ci from the lockfile, non-root final stage with a HEALTHCHECK', () => {
  assert.deepEqual(DOCKERFILES.sort(), ['editor-app.Dockerfile', 'node-service.Dockerfile']);
  for (const file of DOCKERFILES) {
    const all = stages(read(`deploy/docker/${file}`));
    assert.ok(all.length >= 2, `${file}: multi-stage`);
    const final = all.at(-1)!;
    const user = final.lines.find((l) => /^USER\s/.test(l));
    assert.ok(user, `${file}: final stage sets USER`);
    assert.match(user!, /^USER\s+[1-9]\d*(:[1-9]\d*)?$/, `${file}: numeric non-root uid (so runAsNonRoot can verify it)`);
    assert.ok(final.lines.some((l) => /^HEALTHCHECK\s.*CMD/.test(l)), `${file}: HEALTHCHECK in the final stage`);
    const text = read(`deploy/docker/${file}`);
    assert.match(text, /npm ci /, `${file}: npm ci (lockfile)`);
    assert.doesNotMatch(text, /npm install/, `${file}: never npm install`);
    assert.ok(!final.lines.some((l) => /COPY --from=build\b.*node_modules/.test(l)), `${file}: no build-stage node_modules in the image`);
    for (const line of final.lines.filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))) {
      const source = line.split(/\s+/).filter((p) => !p.startsWith('--'))[1]!;
      assert.ok(existsSync(join(REPO_ROOT, source)), `${file}: ${source} exists`);
    }
  }
  const node = stages(read('deploy/docker/node-service.Dockerfile'));
  const prodDeps = node.find((s) => s.name === 'prod-deps')!;
  assert.ok(prodDeps.lines.some((l) => /npm ci .*--omit=dev.*--workspace=/.test(l)), 'final image gets production dependencies of one workspace only');
  assert.ok(node.at(-1)!.lines.some((l) => l.startsWith('COPY --from=prod-deps')));
});

test('Dockerfiles build offline and share layers: no frontend image to fetch, the full npm ci before ARG WORKSPACE', () => {
  for (const file of DOCKERFILES) {
    // A `# syntax=` directive makes every build pull a frontend image (fails air-gapped).
    assert.doesNotMatch(read(`deploy/docker/${file}`), /^#\s*syntax\s*=/im, `${file}: no syntax directive`);
  }
  const build = stages(read('deploy/docker/node-service.Dockerfile')).find((s) => s.name === 'build')!;
  const install = build.lines.findIndex((l) => /npm ci /.test(l));
  const arg = build.lines.findIndex((l) => /^ARG\s+WORKSPACE\b/.test(l));
  assert.ok(install >= 0 && arg > install, 'build stage: ARG WORKSPACE after the full npm ci, so the four service images share that layer');
});

test('each service image carries only the workspaces it runs (workspace-closure.mjs: dependencies, never devDependencies)', () => {
  const closure = (workspace: string) =>
    spawnSync(process.execPath, ['deploy/docker/workspace-closure.mjs', workspace], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim().split('\n');
  for (const build of nodeBuilds) {
    const dirs = closure(build.workspace);
    assert.equal(dirs[0], build.dir, `${build.name}: its own workspace first`);
    assert.ok(!dirs.includes('packages/testing'), `${build.name}: no test helpers`);
    const pkg = JSON.parse(read(`${build.dir}/package.json`));
    for (const dependency of Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@copycloud/'))) {
      assert.ok(dirs.some((d) => JSON.parse(read(`${d}/package.json`)).name === dependency), `${build.name}: ${dependency} included`);
    }
  }
  assert.ok(!closure('@copycloud/sync-server').includes('services/auth'), 'sync-server does not carry the auth service');
  const node = read('deploy/docker/node-service.Dockerfile');
  assert.match(node, /workspace-closure\.mjs "\$\{WORKSPACE\}"/, 'the build stage copies dist/ of the closure only');
  assert.match(node, /-xtype l -delete/, 'prod-deps drops the links of workspaces it removed');
});

test('EXPORT10 the snapshots image installs the CJK font PDF export falls back to, in compose and in CI', () => {
  const fonts = read('services/snapshots/src/export/fonts.ts');
  assert.ok(fonts.includes("'/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'"), 'fonts-wqy-microhei is a fallback PDF export looks for');
  assert.equal(compose.services.snapshots.build.args.SYSTEM_PACKAGES, 'fonts-wqy-microhei');
  const snapshots = workflow.jobs.images.strategy.matrix.include.find((m: any) => m.component === 'snapshots');
  assert.equal(snapshots.packages, 'fonts-wqy-microhei');
  const step = workflow.jobs.images.steps.find((s: any) => s.uses?.startsWith('docker/build-push-action'));
  assert.match(step.with['build-args'], /SYSTEM_PACKAGES=\$\{\{ matrix\.packages \}\}/);
  const runtime = stages(read('deploy/docker/node-service.Dockerfile')).at(-1)!;
  assert.ok(runtime.lines.some((l) => /apt-get install -y --no-install-recommends \$\{SYSTEM_PACKAGES\}/.test(l)), 'the runtime stage installs SYSTEM_PACKAGES');
  assert.ok(read('.ci/run').includes('apt_install fonts-wqy-microhei'), '.ci/run installs it for the test');
});

test('.dockerignore keeps node_modules, build output, git and env files out of the context', () => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
  for (const pattern of ['**/node_modules', '**/dist', '.git', '**/.env', '**/*.env']) assert.ok(ignored.includes(pattern), pattern);
});

/** Every deployable built from node-service.Dockerfile, from compose. */
const nodeBuilds = Object.entries(compose.services)
  .filter(([, s]) => s.build?.dockerfile === 'deploy/docker/node-service.Dockerfile')
  .map(([name, s]) => ({ name, workspace: s.build.args.WORKSPACE as string, dir: s.build.args.WORKSPACE_DIR as string }));

test('each Node deployable has the package, main and start script the image runs', () => {
  const dirs = [...new Set(nodeBuilds.map((b) => b.dir))].sort();
  assert.deepEqual(dirs, ['services/ai', 'services/auth', 'services/files', 'services/review', 'services/snapshots', 'sync-server']);
  for (const build of nodeBuilds) {
    const pkg = JSON.parse(read(`${build.dir}/package.json`));
    assert.equal(pkg.name, build.workspace, `${build.name}: WORKSPACE names ${build.dir}`);
    assert.equal(pkg.scripts.start, 'node dist/main.js', `${build.name}: start script`);
    assert.ok(existsSync(join(REPO_ROOT, build.dir, 'src/main.ts')), `${build.name}: has a main`);
  }
});

test('compose: the full stack, each service with an image or build and a healthcheck', () => {
  const names = Object.keys(compose.services).sort();
  assert.deepEqual(names, ['ai', 'app', 'auth', 'files', 'grafana', 'minio', 'postgres', 'prometheus', 'proxy', 'redis', 'redis-exporter', 'review', 'snapshots', 'sync-1', 'sync-2']);
  for (const [name, service] of Object.entries(compose.services)) {
    assert.ok(service.image || service.build, `${name}: image or build`);
    if (service.build) assert.ok(existsSync(join(DEPLOY_DIR, service.build.context, service.build.dockerfile)), `${name}: Dockerfile exists`);
    assert.ok(Array.isArray(service.healthcheck?.test) && service.healthcheck.test.length > 1, `${name}: healthcheck`);
    assert.ok(!service.image || /:[\w.-]+$/.test(service.image), `${name}: pinned image tag`);
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (/PASSWORD|KEY|SECRET|TOKEN/.test(key) || /:\/\/[^@/]*:[^@/]*@/.test(String(value))) {
        assert.match(String(value), /\$\{[A-Z0-9_]+(:\?|:-)/, `${name}.${key}: secrets come from deploy/.env, never literal`);
      }
    }
    for (const volume of service.volumes ?? []) {
      const source = String(volume).split(':')[0]!;
      if (source.startsWith('.')) assert.ok(existsSync(join(DEPLOY_DIR, source)), `${name}: ${source} exists`);
    }
  }
  for (const node of ['sync-1', 'sync-2']) {
    const env = compose.services[node].environment;
    assert.ok(env.REDIS_URL && env.DATABASE_URL && env.AUTH_JWKS_URL, `${node}: Redis, Postgres and JWKS configured`);
    assert.ok(parseInt(compose.services[node].stop_grace_period, 10) * 1000 > Number(env.SHUTDOWN_TIMEOUT_MS), `${node}: grace period covers the drain`);
  }
  assert.notEqual(compose.services['sync-1'].environment.NODE_ID, compose.services['sync-2'].environment.NODE_ID);
});

test('HAProxy keeps a document on one node (consistent hash on ?doc= and on /yjs/ID), logs no query strings, long tunnel timeout', () => {
  const cfg = read('deploy/haproxy/haproxy.cfg');
  const sync = /^backend sync\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(cfg)?.[1] ?? '';
  assert.match(sync, /set-var\(txn\.doc\) url_param\(doc\)/);
  assert.match(sync, /set-var\(txn\.doc\) path,field\(3,\/\),url_dec if \{ path_beg \/yjs\/ \}/);
  assert.match(sync, /^\s+balance hash var\(txn\.doc\)$/m);
  // /yjs/ID?token=… must not reach the log: the log format prints the path only.
  assert.match(cfg, /log-format .*var\(txn\.path\)/);
  assert.doesNotMatch(cfg, /option httplog/);
  assert.match(sync, /^\s+hash-type consistent$/m);
  // Addresses from the environment, defaulting to the compose service names (haproxy.test.ts runs the file as is).
  assert.match(sync, /server sync-1 "\$\{SYNC_1_ADDR\}"/);
  assert.match(sync, /server sync-2 "\$\{SYNC_2_ADDR\}"/);
  assert.match(cfg, /^\s+presetenv SYNC_1_ADDR sync-1:8080$/m);
  assert.match(cfg, /^\s+presetenv SYNC_2_ADDR sync-2:8080$/m);
  assert.match(cfg, /acl is_sync path_beg \/sync \/yjs/);
  assert.match(cfg, /timeout tunnel 1h/);
  const prometheus = parseYaml(read('deploy/prometheus/prometheus.yml'));
  const syncJob = prometheus.scrape_configs.find((j: any) => j.job_name === 'sync-server');
  assert.deepEqual(syncJob.static_configs[0].targets, ['sync-1:8080', 'sync-2:8080']);
});

test('GitHub workflow: tests with Postgres, Redis and Chromium; images for every deployable; push to GHCR on tags', () => {
  const testJob = workflow.jobs.test;
  assert.ok(testJob.services.postgres && testJob.services.redis);
  assert.ok(testJob.steps.some((s: any) => /apt-get install .*chromium/.test(s.run ?? '')));
  assert.ok(testJob.steps.some((s: any) => s.run === 'npm ci --no-audit --no-fund'));
  assert.ok(testJob.steps.some((s: any) => s.run === 'npm test'));
  const images = workflow.jobs.images;
  assert.equal(images.needs, 'test');
  const components = images.strategy.matrix.include.map((m: any) => m.component).sort();
  assert.deepEqual(components, ['ai', 'auth', 'editor-app', 'files', 'review', 'snapshots', 'sync-server']);
  for (const entry of images.strategy.matrix.include) {
    assert.ok(existsSync(join(REPO_ROOT, entry.dockerfile)), entry.dockerfile);
    assert.equal(JSON.parse(read(`${entry.dir}/package.json`)).name, entry.workspace);
  }
  const build = images.steps.find((s: any) => String(s.uses).startsWith('docker/build-push-action'));
  assert.equal(build.with.push, "${{ startsWith(github.ref, 'refs/tags/v') }}");
  const meta = images.steps.find((s: any) => s.id === 'meta');
  assert.match(meta.with.images, /^ghcr\.io\//);
  assert.ok(workflow.on.push.tags.includes('v*'));
});

test('GitHub workflow: a compose job builds every image, starts the stack and runs the smoke test through the proxy', () => {
  const job = workflow.jobs.compose;
  assert.ok(job, 'jobs.compose');
  const runs = job.steps.map((s: any) => String(s.run ?? '')).join('\n');
  assert.match(job.env.COMPOSE, /^docker compose -f deploy\/compose\.yaml -f deploy\/compose\.smoke\.yaml$/);
  assert.match(runs, /\$COMPOSE build\b/);
  assert.match(runs, /\$COMPOSE up -d --wait/);
  assert.match(runs, /deploy\/smoke\/smoke\.ts/);
  assert.match(runs, /stats;csv/, 'checks HAProxy sees every backend UP');
  const smoke = job.steps.find((s: any) => /smoke\.ts/.test(String(s.run)));
  const smokeArgs = String(smoke.run);
  // One client on each sync node directly, scraping every Node service's /metrics.
  const overrides = parseYaml(read('deploy/compose.smoke.yaml')) as { services: Record<string, { ports: string[] }> };
  for (const [service, { ports }] of Object.entries(overrides.services)) {
    assert.match(ports[0]!, /^127\.0\.0\.1:\d+:8080$/, `${service}: published on localhost only`);
    const hostPort = ports[0]!.split(':')[1];
    assert.ok(smokeArgs.includes(`--metrics ${service}=http://127.0.0.1:${hostPort}`), `smoke scrapes ${service}`);
    assert.ok(compose.services[service], `${service} is a compose service`);
  }
  for (const node of ['sync-1', 'sync-2']) {
    const hostPort = overrides.services[node]!.ports[0]!.split(':')[1];
    assert.ok(smokeArgs.includes(`--sync ws://127.0.0.1:${hostPort}`), `a smoke client on ${node}`);
  }
  const nodeServices = Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'deploy/docker/node-service.Dockerfile').map(([n]) => n);
  assert.deepEqual(Object.keys(overrides.services).sort(), nodeServices.sort(), 'every Node service is reachable for the smoke test');
  const last = job.steps.at(-1);
  assert.equal(last.if, 'always()');
  assert.match(last.run, /down -v/);
});

test('compose file: says it needs Compose v2 and gives the one command that starts it', () => {
  const header = read('deploy/compose.yaml').split('\n').filter((l) => l.startsWith('#')).join('\n');
  assert.match(header, /Compose v2/);
  assert.match(header, /docker compose -f deploy\/compose\.yaml up --build -d --wait/);
});
