import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { K8sObject } from './tools.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** Where the schema of each API group lives (npm packages generated from the upstream OpenAPI/CRDs). */
function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  if (['apps', 'autoscaling', 'policy', 'networking.k8s.io', 'batch', 'rbac.authorization.k8s.io'].includes(group!)) {
    return `kubernetes-models/${group}/${version}/${kind}`;
  }
  if (group === 'gateway.networking.k8s.io') return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === 'external-secrets.io') return `@kubernetes-models/external-secrets/${group}/${version}/${kind}`;
  return undefined;
}

const ajv = new Ajv({ allErrors: true, strict: false });
/** CRDs no package ships a schema for: a documented minimal schema beside this file. */
const LOCAL_SCHEMAS: Record<string, ReturnType<typeof ajv.compile>> = {
  'gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy': ajv.compile(
    JSON.parse(readFileSync(new URL('./schemas/backend-traffic-policy.schema.json', import.meta.url), 'utf8')),
  ),
};

/** Throws with the object's identity and every schema error. */
export async function validateObject(object: K8sObject): Promise<void> {
  const id = `${object.kind}/${object.metadata?.name} (${object.apiVersion})`;
  const local = LOCAL_SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (local) {
    if (!local(object)) throw new Error(`${id}: ${ajv.errorsText(local.errors)}`);
    return;
  }
  const module = modelModule(object.apiVersion, object.kind);
  if (!module) throw new Error(`${id}: no schema known for this API group; add one to deploy/test/schema-validation.ts`);
  let Model: ModelClass;
  try {
    Model = ((await import(module)) as Record<string, ModelClass>)[object.kind]!;
  } catch {
    throw new Error(`${id}: no schema in ${module} (unknown apiVersion or kind)`);
  }
  try {
    new Model(normalise(object)).validate();
  } catch (error) {
    throw new Error(`${id}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * kustomize wraps long base64 Secret values over lines; the API server's
 * decoder (Go's base64) skips newlines, the schema's "byte" format does not.
 */
function normalise(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, v.replace(/\s+/g, '')]));
  return { ...object, data };
}
