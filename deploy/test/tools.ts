import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const OVERLAYS = ['dev', 'prod', 'prod-ingress-nginx'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/**
 * Whether a system tool is on PATH. Outside CI a missing tool skips the test
 * with a message; in CI (CI=true) it is a failure, never a silent skip.
 */
export function requireTool(name: string, args: string[] = ['--help']): { skip: string | false } {
  const found = spawnSync(name, args, { stdio: 'ignore' }).error === undefined;
  if (found) return { skip: false };
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI but is not installed`);
  return { skip: `${name} is not installed (install it to run this test; CI fails without it)` };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [key: string]: any;
}

/** Values the test writes into the dev overlay's gitignored env files. */
export const DEV_TEST_SECRETS: Record<string, Record<string, string>> = {
  database: { POSTGRES_PASSWORD: 'test-pg-password', DATABASE_URL: 'postgres://copycloud:test-pg-password@postgres:5432/copycloud' },
  redis: { REDIS_PASSWORD: 'test-redis-password', REDIS_URL: 'redis://:test-redis-password@redis:6379' },
  auth: { AUTH_PRIVATE_JWK: '{"kty":"OKP","crv":"Ed25519","x":"test","d":"test"}' },
  ai: { OPENAI_API_KEY: 'test-openai-key' },
  s3: { S3_ACCESS_KEY_ID: 'test-s3-user', S3_SECRET_ACCESS_KEY: 'test-s3-secret', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'copycloud-files' },
};

/**
 * `kubectl kustomize` of one overlay, from a copy of deploy/ in a temp dir
 * (the dev overlay's secret env files are gitignored: the copy gets test
 * values, and the checkout is never written to).
 */
export function renderOverlay(overlay: Overlay): K8sObject[] {
  const work = mkdtempSync(join(tmpdir(), 'copycloud-kustomize-'));
  try {
    cpSync(join(DEPLOY_DIR, 'k8s'), join(work, 'deploy/k8s'), { recursive: true });
    cpSync(join(DEPLOY_DIR, 'monitoring'), join(work, 'deploy/monitoring'), { recursive: true });
    const secretsDir = join(work, 'deploy/k8s/overlays/dev/secrets');
    for (const example of readdirSync(secretsDir).filter((f) => f.endsWith('.env.example'))) {
      const name = example.replace('.env.example', '');
      const values = DEV_TEST_SECRETS[name];
      if (!values) throw new Error(`no test values for dev secret ${example}`);
      writeFileSync(join(secretsDir, `${name}.env`), Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
    }
    const result = spawnSync('kubectl', ['kustomize', join(work, 'deploy/k8s/overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${result.stderr}`);
    return parseYamlStream(result.stdout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function parseYamlStream(text: string): K8sObject[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('\n'));
    return doc.toJS() as K8sObject;
  }).filter((o) => o !== null);
}

/** Pod templates of every workload, with the workload they belong to. */
export function podTemplates(objects: K8sObject[]): { owner: K8sObject; spec: any; labels: Record<string, string> }[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind))
    .map((o) => ({ owner: o, spec: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} }));
}
