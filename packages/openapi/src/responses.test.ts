import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Hono } from 'hono';
import { createAuthService, authApiFragment, defaultAuthLimits } from '@copycloud/auth';
import { createInProcessAccessEventBus } from '@copycloud/auth-client';
import { openDatabase, type Database } from '@copycloud/db';
import { createLogger } from '@copycloud/observability';
import { honoPathToOpenApi, serviceApiDocument, type HttpMethod } from './index.js';

/**
 * The response schemas are written by hand (the services build responses
 * from TypeScript types, not zod): real responses of the real auth service
 * are checked against them, so a shape change without a docs change fails.
 */
describe('auth responses match their documented schemas', () => {
  const document = serviceApiDocument([authApiFragment]);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ components: document.components }, 'document');
  const validators = new Map<string, ValidateFunction>();
  let db: Database;
  let app: Hono;

  /** Sends the request and checks status and body against the document's response for that status. */
  async function call(method: HttpMethod, honoPath: string, path: string, options: { token?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method: method.toUpperCase(), headers };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    const response = await app.request(path, init);
    const where = `${method.toUpperCase()} ${honoPathToOpenApi(honoPath)} ${response.status}`;
    const documented = document.paths[honoPathToOpenApi(honoPath)]?.[method]?.responses[String(response.status)];
    assert.ok(documented, `${where}: status not documented`);
    const schema = documented.content?.['application/json']?.schema;
    const body: unknown = response.status === 204 ? null : await response.json();
    if (schema) {
      let validate = validators.get(where);
      if (!validate) {
        validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"document#/components/')));
        validators.set(where, validate);
      }
      assert.ok(validate(body), `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
    return { status: response.status, body: body as Record<string, any> };
  }

  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    const auth = createAuthService({
      config: { issuer: 'copycloud', corsOrigins: [], trustProxy: false, ...defaultAuthLimits(), scrypt: { N: 2 ** 12, r: 8, p: 1 } },
      db,
      logger: createLogger({ name: 'openapi-test', level: 'silent' }),
      events: createInProcessAccessEventBus(),
    });
    await auth.ready;
    app = new Hono().route('/', auth.app);
  });

  after(async () => {
    await db?.close();
  });

  it('accounts, documents, sharing and members', async () => {
    const owner = (await call('post', '/api/auth/signup', '/api/auth/signup', { body: { email: 'owner@example.com', password: 'correct horse battery' } })).body;
    await call('post', '/api/auth/signup', '/api/auth/signup', { body: { email: 'owner@example.com', password: 'correct horse battery' } }); // 409
    await call('post', '/api/auth/signup', '/api/auth/signup', { body: { email: 'nope', password: 'x' } }); // 400
    await call('post', '/api/auth/login', '/api/auth/login', { body: { email: 'owner@example.com', password: 'wrong password' } }); // 401
    const login = (await call('post', '/api/auth/login', '/api/auth/login', { body: { email: 'owner@example.com', password: 'correct horse battery' } })).body;
    const refreshed = (await call('post', '/api/auth/refresh', '/api/auth/refresh', { body: { refreshToken: login.refreshToken } })).body;
    await call('post', '/api/auth/logout', '/api/auth/logout', { body: { refreshToken: refreshed.refreshToken } });
    const guest = (await call('post', '/api/auth/guest', '/api/auth/guest', { body: {} })).body;
    await call('get', '/api/auth/me', '/api/auth/me', { token: owner.accessToken });
    await call('get', '/api/auth/me', '/api/auth/me'); // 401
    await call('get', '/.well-known/jwks.json', '/.well-known/jwks.json');

    const token = owner.accessToken as string;
    const created = (await call('post', '/api/docs', '/api/docs', { token, body: { title: 'Launch copy' } })).body;
    const id = created.document.id as string;
    await call('get', '/api/docs', '/api/docs', { token });
    await call('get', '/api/docs/:id', `/api/docs/${id}`, { token });
    await call('get', '/api/docs/:id', `/api/docs/${id}`, { token: guest.accessToken }); // 404
    await call('post', '/api/docs/:id/token', `/api/docs/${id}/token`, { token });
    const shared = (await call('post', '/api/docs/:id/share', `/api/docs/${id}/share`, { token, body: { role: 'viewer', expiresInHours: 24 } })).body;
    await call('get', '/api/docs/:id/share', `/api/docs/${id}/share`, { token });
    const accepted = await call('post', '/api/invites/:token/accept', `/api/invites/${shared.token}/accept`, { token: guest.accessToken });
    assert.equal(accepted.body.role, 'viewer');
    await call('delete', '/api/docs/:id', `/api/docs/${id}`, { token: guest.accessToken }); // 403
    await call('get', '/api/docs/:id/members', `/api/docs/${id}/members`, { token });
    await call('put', '/api/docs/:id/members', `/api/docs/${id}/members`, { token, body: { userId: guest.user.id, role: 'editor' } });
    await call('put', '/api/docs/:id/members', `/api/docs/${id}/members`, { token, body: { userId: owner.user.id, role: 'viewer' } }); // 409
    await call('delete', '/api/docs/:id/members/:userId', `/api/docs/${id}/members/${guest.user.id}`, { token });
    await call('delete', '/api/docs/:id/share/:linkId', `/api/docs/${id}/share/${shared.link.id}`, { token });
    await call('post', '/api/invites/:token/accept', `/api/invites/${shared.token}/accept`, { token: guest.accessToken }); // 410
    await call('post', '/api/auth/upgrade', '/api/auth/upgrade', { token: guest.accessToken, body: { email: 'guest@example.com', password: 'another good one' } });
    await call('post', '/api/auth/logout-all', '/api/auth/logout-all', { token, body: {} });
    await call('delete', '/api/docs/:id', `/api/docs/${id}`, { token });
    assert.ok(validators.size >= 25, `checked ${validators.size} documented responses`);
  });
});
