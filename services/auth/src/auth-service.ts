import { createRoute, type z } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { JSONWebKeySet } from 'jose';
import { Counter, type Registry } from 'prom-client';
import { createJwksVerifier, type AccessEventBus, type AuthVariables, type JwksVerifier } from '@copycloud/auth-client';
import { coreMigrations, runMigrations, type Database } from '@copycloud/db';
import { limitBody } from '@copycloud/http';
import { createApiApp, jsonResponse, open, routesFragment, type ApiFragment } from '@copycloud/openapi';
import { createMetricsRegistry, initLabelSets, labelCombinations, type Logger } from '@copycloud/observability';
import { ROLES } from '@copycloud/protocol';
import { accountApiRoutes, accountRoutes } from './account-routes.js';
import { jwksSchema } from './api-schemas.js';
import type { AuthConfig } from './config.js';
import { documentApiRoutes, documentRoutes } from './document-routes.js';
import { DocumentAccess } from './documents.js';
import { corsFor, errorResponse } from './http-support.js';
import { authMigrations } from './migrations.js';
import type { RateLimitStore } from './rate-limiter.js';
import { RefreshTokens } from './refresh-tokens.js';
import { SigningKeys } from './signing-keys.js';
import { TokenIssuer } from './token-issuer.js';
import { UserRepository } from './users.js';

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'jwks',
  summary: 'Public signing keys (JWKS) that sync nodes and sidecars verify tokens against',
  description: 'Retired keys stay listed until the tokens they signed have expired.',
  tags: ['auth'],
  security: open,
  responses: { 200: jsonResponse('the key set (cacheable for 60 s)', jwksSchema) },
});

/** Every route of the auth service (`createAuthService().app`), documented from the definitions the app registers. */
export const authApiFragment: ApiFragment = routesFragment(
  {
    service: 'auth',
    tags: [
      { name: 'auth', description: 'Accounts, guests and sessions. Access tokens live at most 15 minutes; refresh tokens rotate on every use.' },
      { name: 'documents', description: 'Documents the caller is a member of, and document tokens for the sync nodes.' },
      { name: 'sharing', description: 'Share links (invites) and members. Editors share with at most their own role; owners manage members.' },
    ],
  },
  [...accountApiRoutes, jwksRoute, ...documentApiRoutes],
);

export interface AuthServiceDeps {
  config: AuthConfig;
  db: Database;
  logger: Logger;
  /** Where access changes are pushed (in-process when single-node, Redis otherwise). */
  events: AccessEventBus;
  registry?: Registry;
  /** Redis for the brute-force limits, shared by every replica; unset = counted in this process. */
  rateLimitStore?: RateLimitStore | undefined;
}

export interface AuthService {
  /** Every auth route: `/api/auth/*`, `/api/docs/*`, `/api/invites/*`, `/.well-known/jwks.json`. */
  readonly app: Hono;
  readonly registry: Registry;
  /** Resolves once migrations ran and signing keys are loaded. Requests wait for it. */
  readonly ready: Promise<void>;
  /** Verifies this service's tokens in-process (for services mounted next to it). */
  readonly verifier: JwksVerifier;
  publicKeySet(): Promise<JSONWebKeySet>;
  /** New signing key; the previous one stays published until its tokens expired. */
  rotateSigningKey(): Promise<string>;
  readonly issuer: TokenIssuer;
}

/**
 * The auth sidecar as a library: accounts, tokens, JWKS, documents' members
 * and share links. Its `main` serves it alone; the launcher mounts it.
 */
export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { config, db } = deps;
  const logger = deps.logger;
  const registry = deps.registry ?? createMetricsRegistry({ service: 'auth', processMetrics: false });
  const logins = new Counter({ name: 'copycloud_auth_logins_total', help: 'Login attempts by result', labelNames: ['result'] as const, registers: [registry] });
  const documentTokens = new Counter({ name: 'copycloud_auth_document_tokens_total', help: 'Document tokens issued by role', labelNames: ['role'] as const, registers: [registry] });
  // Every label set at 0 from the start, so dashboards show 0 rather than no data.
  initLabelSets(logins, labelCombinations({ result: ['ok', 'failed', 'rate_limited'] }));
  initLabelSets(documentTokens, labelCombinations({ role: ROLES }));

  const keys = new SigningKeys(db, { privateJwk: config.privateJwk, retiredPublicJwks: config.retiredPublicJwks });
  const ready = (async () => {
    await runMigrations(db, [...coreMigrations, ...authMigrations]);
    await keys.init();
  })();
  ready.catch((error) => logger.error({ err: error }, 'auth service could not start'));

  const issuer = new TokenIssuer(keys, config.issuer);
  const verifier = createJwksVerifier({ getKeySet: () => keys.jwks(), issuer: config.issuer });
  const users = new UserRepository(db);
  const access = new DocumentAccess(db);

  const app = createApiApp<{ Variables: AuthVariables }>();
  app.onError((error, c) => errorResponse(c, error, logger));
  const apiPaths = ['/api/auth/*', '/api/docs', '/api/docs/*', '/api/invites/*', '/.well-known/jwks.json'];
  for (const path of apiPaths) {
    app.use(path, corsFor(config.corsOrigins), limitBody(config.maxBodyBytes), async (_c, next) => {
      await ready;
      await next();
    });
  }
  app.openapi(jwksRoute, async (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    // jose's key type is wider than JSON; these keys are the JSON the store holds.
    return c.json((await keys.jwks()) as z.infer<typeof jwksSchema>, 200);
  });
  app.route('/', accountRoutes({ config, users, refreshTokens: new RefreshTokens(db), issuer, verifier, logger, logins, rateLimitStore: deps.rateLimitStore }));
  app.route('/', documentRoutes({ access, issuer, verifier, events: deps.events, logger, documentTokens }));

  return {
    app: app as unknown as Hono,
    registry,
    ready,
    verifier,
    issuer,
    publicKeySet: async () => {
      await ready;
      return keys.jwks();
    },
    async rotateSigningKey() {
      await ready;
      const kid = await keys.rotate();
      logger.info({ kid }, 'signing key rotated');
      return kid;
    },
  };
}
