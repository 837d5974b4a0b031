import { Hono } from 'hono';
import { importJWK, SignJWT, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { createInProcessAccessEventBus, type AccessEvent, type AccessEventBus } from '@copycloud/auth-client';
import { openDatabase, type Database } from '@copycloud/db';
import { startHttpServer } from '@copycloud/http';
import { createLogger } from '@copycloud/observability';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { createAuthService, defaultAuthLimits, type AuthConfig, type AuthService } from '../src/index.js';

export const quietLogger = createLogger({ name: 'auth-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Cheap scrypt for tests (the stored parameters make verification work either way). */
export const TEST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

export interface RunningAuth {
  url: string;
  auth: AuthService;
  db: Database;
  events: AccessEventBus;
  received: AccessEvent[];
  stop(): Promise<void>;
}

/** The auth service over real HTTP on port 0, on a fresh schema of the real Postgres. */
export async function startAuth(overrides: Partial<AuthConfig> = {}, options: { db?: Database; events?: AccessEventBus } = {}): Promise<RunningAuth> {
  let schema: TestSchema | undefined;
  let db = options.db;
  if (!db) {
    schema = await createTestSchema('auth');
    db = await openDatabase({ url: schema.url });
  }
  const events = options.events ?? createInProcessAccessEventBus();
  const received: AccessEvent[] = [];
  events.subscribe((e) => received.push(e));
  const config: AuthConfig = { issuer: 'copycloud', corsOrigins: [], trustProxy: false, ...defaultAuthLimits(), scrypt: TEST_SCRYPT, ...overrides };
  const auth = createAuthService({ config, db, logger: quietLogger, events });
  await auth.ready;
  const http = await startHttpServer({ app: new Hono().route('/', auth.app), upgrades: [], port: 0, host: '127.0.0.1' });
  return {
    url: http.url,
    auth,
    db,
    events,
    received,
    async stop() {
      await http.close();
      if (schema) {
        await db.close();
        await schema.drop();
      }
    },
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; name: string; color: string; guest: boolean; email: string | null };
}

export async function api(base: string, method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(base + path, { method, headers, body });
  const text = await response.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

export async function guest(base: string): Promise<Session> {
  const r = await api(base, 'POST', '/api/auth/guest');
  if (r.status !== 201) throw new Error(`guest: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as Session;
}

let counter = 0;
export async function signup(base: string, password = 'correct horse battery'): Promise<Session & { email: string; password: string }> {
  const email = `user${process.pid}-${Date.now()}-${counter++}@example.com`;
  const r = await api(base, 'POST', '/api/auth/signup', { body: { email, password } });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.json)}`);
  return { ...(r.json as Session), email, password };
}

export async function createDocument(base: string, token: string): Promise<string> {
  const r = await api(base, 'POST', '/api/docs', { token, body: { title: 'Test' } });
  if (r.status !== 201) throw new Error(`create doc: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.document.id as string;
}

export async function documentToken(base: string, token: string, documentId: string): Promise<string> {
  const r = await api(base, 'POST', `/api/docs/${documentId}/token`, { token });
  if (r.status !== 200) throw new Error(`doc token: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.token as string;
}

/** The service's real private signing key (embedded mode keeps it in the database). */
export async function realSigningKey(db: Database): Promise<{ kid: string; key: CryptoKey }> {
  const { rows } = await db.query<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM auth_signing_keys WHERE retired_at IS NULL');
  const jwk = JSON.parse(rows[0]!.private_jwk) as JWK;
  return { kid: rows[0]!.kid, key: (await importJWK(jwk, 'EdDSA')) as CryptoKey };
}

export interface ForgeOptions {
  key: CryptoKey;
  kid: string;
  alg?: string;
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string;
  sub?: string;
  iat?: number;
  exp?: number;
}

export async function signToken(o: ForgeOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(o.claims ?? {})
    .setProtectedHeader({ alg: o.alg ?? 'EdDSA', kid: o.kid })
    .setIssuer(o.iss ?? 'copycloud')
    .setAudience(o.aud ?? 'copycloud')
    .setSubject(o.sub ?? 'u_forged')
    .setIssuedAt(o.iat ?? now)
    .setExpirationTime(o.exp ?? now + 300)
    .sign(o.key);
}

/** Every way a token may be forged or stale (ISSUE 5 security list), for one audience and claim set. */
export async function forgedTokens(db: Database, valid: { aud: string; sub: string; claims: Record<string, unknown> }): Promise<Record<string, string>> {
  const real = await realSigningKey(db);
  const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const now = Math.floor(Date.now() / 1000);
  const good = await signToken({ ...real, aud: valid.aud, sub: valid.sub, claims: valid.claims });
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return {
    'alg none': `${b64({ alg: 'none', kid: real.kid })}.${payload}.`,
    'signed with another key (same kid)': await signToken({ key: other.privateKey, kid: real.kid, aud: valid.aud, sub: valid.sub, claims: valid.claims }),
    'tampered payload': `${header}.${b64({ ...decoded, sub: 'u_someone_else', role: 'owner' })}.${signature}`,
    expired: await signToken({ ...real, aud: valid.aud, sub: valid.sub, claims: valid.claims, iat: now - 1200, exp: now - 600 }),
    'wrong aud': await signToken({ ...real, aud: 'someone-else', sub: valid.sub, claims: valid.claims }),
    'wrong iss': await signToken({ ...real, iss: 'evil', aud: valid.aud, sub: valid.sub, claims: valid.claims }),
    'unknown kid': await signToken({ key: other.privateKey, kid: 'kid-nobody-knows', aud: valid.aud, sub: valid.sub, claims: valid.claims }),
    'lifetime over 15 min': await signToken({ ...real, aud: valid.aud, sub: valid.sub, claims: valid.claims, exp: now + 3600 }),
    'HS256 with the public key as secret': await hs256WithPublicKey(db, real.kid, valid),
  };
}

async function hs256WithPublicKey(db: Database, kid: string, valid: { aud: string; sub: string; claims: Record<string, unknown> }): Promise<string> {
  const { rows } = await db.query<{ public_jwk: string }>('SELECT public_jwk FROM auth_signing_keys WHERE kid = $1', [kid]);
  const secret = new TextEncoder().encode(rows[0]!.public_jwk);
  return signToken({ key: secret as unknown as CryptoKey, kid, alg: 'HS256', aud: valid.aud, sub: valid.sub, claims: valid.claims });
}
