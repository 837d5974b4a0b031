import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRoute } from '@hono/zod-openapi';
import { describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
// The services' fragments, by package name: they depend on this package, so
// it cannot list them as dependencies (a cycle); the workspace links them.
import { aiApiFragment } from '@copycloud/ai';
import { authApiFragment } from '@copycloud/auth';
import { signupBody } from '../../../services/auth/src/account-routes.js';
import { snapshotsApiFragment } from '@copycloud/snapshots';
import { filesApiFragment } from '@copycloud/files';
import { syncApiFragment } from '@copycloud/sync-server';
import {
  API_REFERENCE_PATH,
  API_REFERENCE_SCRIPT_PATH,
  HTTP_METHODS,
  OPENAPI_JSON_PATH,
  OpenApiBuildError,
  buildOpenApiDocument,
  openApiRoutes,
  referenceScriptFile,
  serviceApiDocument,
  type ApiFragment,
  type JsonSchema,
  type OpenApiDocument,
} from './index.js';

const merged = serviceApiDocument([authApiFragment, snapshotsApiFragment, filesApiFragment, aiApiFragment, syncApiFragment]);

/** Every schema in the document (request bodies, parameters, responses, components), with where it is. */
function* schemasOf(document: OpenApiDocument): Generator<[string, JsonSchema]> {
  for (const [name, schema] of Object.entries(document.components.schemas)) yield [`components.schemas.${name}`, schema];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) yield [`${at} parameter ${p.name}`, p.schema];
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) if (media.schema) yield [`${at} request ${type}`, media.schema];
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) if (media.schema) yield [`${at} ${status} ${type}`, media.schema];
      }
    }
  }
}

describe('the merged OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (official 3.1 schema, unique operationIds, declared path parameters)', async () => {
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(merged) as never);
    assert.equal(result.valid, true, JSON.stringify(result.valid ? [] : result.errors, null, 2));
    assert.equal(merged.openapi, '3.1.0');
    // The check has teeth: a parameter in a place OpenAPI 3.1 does not have is refused.
    const broken = structuredClone(merged) as unknown as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    broken.paths['/api/docs']!['get']!.parameters = [{ name: 'q', in: 'body', schema: { type: 'string' } }];
    assert.equal((await validate(broken as never)).valid, false);
  });

  it('has only schemas that compile as JSON Schema 2020-12 (the 3.1 dialect)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // `$ref: #/components/schemas/X` resolves against the document itself.
    ajv.addSchema({ components: merged.components }, 'document');
    let count = 0;
    for (const [where, schema] of schemasOf(merged)) {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"document#/components/')) as JsonSchema;
      assert.doesNotThrow(() => ajv.compile(rebased), `${where} does not compile`);
      count++;
    }
    assert.ok(count > 40, `expected schemas throughout the document, found ${count}`);
  });

  it('documents request bodies with the services’ own zod schemas', () => {
    const signup = merged.paths['/api/auth/signup']?.post?.requestBody?.content['application/json']?.schema;
    // Generated from the route's own request schema (the one that validates): its constraints are there.
    const email = (signup as { properties: Record<string, { format: string; maxLength: number }> }).properties['email'];
    assert.deepEqual([email?.format, email?.maxLength], ['email', signupBody.shape.email.maxLength]);
    // The constraints users hit are there, straight from the validation code.
    assert.deepEqual((signup as { required: string[] }).required, ['email', 'password']);
    assert.equal((signup as { additionalProperties: boolean }).additionalProperties, false);
    const password = (signup as { properties: Record<string, { minLength: number }> }).properties['password'];
    assert.equal(password?.minLength, 8);
  });

  it('describes the WebSocket endpoints, which OpenAPI paths cannot', () => {
    assert.deepEqual(merged['x-websockets']?.map((ws) => ws.path), ['/sync', '/yjs/{documentId}']);
    assert.match(merged.info.description ?? '', /\/sync\?doc=ID/);
    assert.match(merged.info.description ?? '', /4503/);
  });

  it('refuses fragments that document the same operation or operationId twice', () => {
    const route = (path: string, operationId: string) => createRoute({ method: 'get', path, operationId, responses: { 200: { description: 'ok' } } });
    const one: ApiFragment = { service: 'one', tags: [], routes: [route('/x', 'x')] };
    const sameRoute: ApiFragment = { service: 'two', tags: [], routes: [route('/x', 'y')] };
    const sameId: ApiFragment = { service: 'two', tags: [], routes: [route('/y', 'x')] };
    assert.throws(() => buildOpenApiDocument({ version: '1', fragments: [one, sameRoute] }), (e: unknown) => e instanceof OpenApiBuildError && e.code === 'duplicate_operation');
    assert.throws(() => buildOpenApiDocument({ version: '1', fragments: [one, sameId] }), (e: unknown) => e instanceof OpenApiBuildError && e.code === 'duplicate_operation_id');
  });
});

describe('openApiRoutes', () => {
  const app = openApiRoutes(merged);

  it(`serves the document at ${OPENAPI_JSON_PATH}`, async () => {
    const response = await app.request(OPENAPI_JSON_PATH);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), JSON.parse(JSON.stringify(merged)));
  });

  it(`serves the Scalar reference page at ${API_REFERENCE_PATH}, loading nothing from elsewhere`, async () => {
    const response = await app.request(API_REFERENCE_PATH);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /connect-src 'self'(;|$)/);
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1];
    assert.ok(nonce, policy);
    const html = await response.text();
    // The bundle comes from this process, the document too; no URL of another host anywhere on the page.
    assert.deepEqual([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]), [API_REFERENCE_SCRIPT_PATH]);
    assert.ok(html.includes(`"url": "${OPENAPI_JSON_PATH}"`), 'the page reads this document');
    assert.doesNotMatch(html, /https?:\/\//);
    // Every script on the page is allowed by the policy: each carries this response's nonce.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)];
    assert.equal(scripts.length, 2);
    for (const [, attributes] of scripts) assert.ok(attributes!.includes(`nonce="${nonce}"`), attributes);
    // A new nonce per response.
    const again = (await app.request(API_REFERENCE_PATH)).headers.get('content-security-policy');
    assert.notEqual(again, policy);
  });

  it(`serves Scalar's standalone bundle from node_modules at ${API_REFERENCE_SCRIPT_PATH}`, async () => {
    const response = await app.request(API_REFERENCE_SCRIPT_PATH);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    const served = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(served, new Uint8Array(await readFile(referenceScriptFile())));
    assert.ok(served.byteLength > 1_000_000, `only ${served.byteLength} bytes`);
    assert.ok(new TextDecoder().decode(served).includes('createApiReference'));
  });
});
