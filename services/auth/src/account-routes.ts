import { createRoute, z } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { AuthError, requireUser, type AccessTokenVerifier, type AuthVariables } from '@copycloud/auth-client';
import { bearer, createApiApp, errorResponse, jsonRequest, jsonResponse, open, unauthorized } from '@copycloud/openapi';
import type { Logger } from '@copycloud/observability';
import type { Counter } from 'prom-client';
import { invalidBody, noContent, rateLimited, sessionSchema, tooLarge, userSchema } from './api-schemas.js';
import type { AuthConfig } from './config.js';
import { AuthServiceError } from './errors.js';
import { randomColor, randomFriendlyName } from './friendly-names.js';
import { clientIp } from './http-support.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { AttemptLimiter, type RateLimitStore } from './rate-limiter.js';
import type { RefreshTokens } from './refresh-tokens.js';
import type { TokenIssuer } from './token-issuer.js';
import { isUniqueViolation, normalizeEmail, type User, type UserRepository } from './users.js';

const emailSchema = z.string().trim().max(254, 'at most 254 characters').email('must be an email address');
/** Upper bound keeps hashing cost bounded; no composition rules (NIST 800-63B). */
const passwordSchema = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');
const nameSchema = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');

export const signupBody = z.strictObject({ email: emailSchema, password: passwordSchema, name: nameSchema.optional() });
export const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(256) });
export const guestBody = z.strictObject({ name: nameSchema.optional() });
/** Refresh tokens are 32 random bytes, base64url (43 characters). */
export const refreshBody = z.strictObject({ refreshToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a refresh token') });
const emptyBody = z.strictObject({});

const tags = ['auth'];
const signedInSession = (description: string) => jsonResponse(description, sessionSchema);

const signupRoute = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  operationId: 'signup',
  summary: 'Create an account (email + password) and sign in',
  tags,
  security: open,
  request: { body: jsonRequest(signupBody) },
  responses: { 201: signedInSession('signed in'), 400: invalidBody, 409: errorResponse('email already used (`email_taken`)'), 413: tooLarge, 429: rateLimited },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'login',
  summary: 'Sign in with email and password',
  tags,
  security: open,
  request: { body: jsonRequest(loginBody) },
  responses: { 200: signedInSession('signed in'), 400: invalidBody, 401: errorResponse('wrong email or password (`invalid_credentials`)'), 413: tooLarge, 429: rateLimited },
});

const guestRoute = createRoute({
  method: 'post',
  path: '/api/auth/guest',
  operationId: 'guest',
  summary: 'Create a guest account (random name and colour unless named) and sign in',
  tags,
  security: open,
  request: { body: jsonRequest(guestBody, { required: false }) },
  responses: { 201: signedInSession('signed in as a new guest'), 400: invalidBody, 413: tooLarge, 429: rateLimited },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  operationId: 'refresh',
  summary: 'Trade a refresh token for a new access token and the next refresh token',
  description: 'Each refresh token works once. Presenting a spent one again revokes its whole session (theft detection).',
  tags,
  security: open,
  request: { body: jsonRequest(refreshBody) },
  responses: { 200: signedInSession('new tokens'), 400: invalidBody, 401: errorResponse('refresh token unknown, spent or revoked (`invalid_refresh_token`)'), 413: tooLarge },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'logout',
  summary: "Revoke this refresh token's session",
  tags,
  security: open,
  request: { body: jsonRequest(refreshBody) },
  responses: { 204: noContent, 400: invalidBody, 413: tooLarge },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  operationId: 'me',
  summary: 'The signed-in account',
  tags,
  security: bearer,
  responses: { 200: jsonResponse('the account', z.object({ user: userSchema })), 401: unauthorized },
});

const logoutAllRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout-all',
  operationId: 'logoutAll',
  summary: 'Log out everywhere: revoke every refresh token of the caller',
  tags,
  security: bearer,
  request: { body: jsonRequest(emptyBody, { required: false, description: 'empty, or `{}`' }) },
  responses: { 200: jsonResponse('how many sessions were revoked', z.object({ revoked: z.number().int() })), 400: invalidBody, 401: unauthorized },
});

const upgradeRoute = createRoute({
  method: 'post',
  path: '/api/auth/upgrade',
  operationId: 'upgradeGuest',
  summary: 'Turn the calling guest into a full account (same id, keeps its documents)',
  tags,
  security: bearer,
  request: { body: jsonRequest(signupBody) },
  responses: {
    200: signedInSession('upgraded and signed in'),
    400: invalidBody,
    401: unauthorized,
    409: errorResponse('not a guest (`not_a_guest`) or email already used (`email_taken`)'),
  },
});

/** The definitions `accountRoutes` registers, for the API document. */
export const accountApiRoutes = [signupRoute, loginRoute, guestRoute, refreshRoute, logoutRoute, meRoute, logoutAllRoute, upgradeRoute];

export interface AccountDeps {
  config: AuthConfig;
  users: UserRepository;
  refreshTokens: RefreshTokens;
  issuer: TokenIssuer;
  verifier: AccessTokenVerifier;
  logger: Logger;
  logins: Counter<'result'>;
  /** Shared counters for the limits (Redis) when several replicas run; memory otherwise. */
  rateLimitStore?: RateLimitStore | undefined;
}

/** `/api/auth/*`: sign up, log in, guests, refresh, log out, me. */
export function accountRoutes(deps: AccountDeps): Hono<{ Variables: AuthVariables }> {
  const { config, users, refreshTokens, issuer, logger } = deps;
  const limiter = (name: string, limit: number) => new AttemptLimiter({ name, limit, windowMs: config.rateLimitWindowMs, store: deps.rateLimitStore });
  const failuresPerAccount = limiter('auth-login-failures-account', config.loginFailuresPerAccount);
  const failuresPerIp = limiter('auth-login-failures-ip', config.loginFailuresPerIp);
  const creationsPerIp = limiter('auth-accounts-created-ip', config.accountsCreatedPerIp);
  // Unknown emails are checked against this hash, so both failures take the same path and time.
  const dummyHash = hashPassword('not-a-real-password-just-for-timing', config.scrypt);

  async function session(user: User) {
    const [access, refreshToken] = await Promise.all([issuer.accessToken(user), refreshTokens.issue(user.id)]);
    return { user, accessToken: access.token, expiresIn: access.expiresIn, refreshToken };
  }

  async function limitCreation(ip: string): Promise<void> {
    const retryAfterSeconds = await creationsPerIp.take(ip);
    if (retryAfterSeconds > 0) throw new AuthServiceError('rate_limited', 'too many accounts created from this address, try again later', { retryAfterSeconds });
  }

  const app = createApiApp<{ Variables: AuthVariables }>();

  app.openapi(signupRoute, async (c) => {
    const body = c.req.valid('json');
    await limitCreation(clientIp(c, config.trustProxy));
    const passwordHash = await hashPassword(body.password, config.scrypt);
    try {
      const user = await users.create({
        email: normalizeEmail(body.email),
        passwordHash,
        name: body.name ?? body.email.split('@')[0]!.slice(0, 64),
        color: randomColor(),
        guest: false,
      });
      logger.info({ userId: user.id }, 'account created');
      return c.json(await session(user), 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthServiceError('email_taken', 'an account with this email already exists');
      throw error;
    }
  });

  app.openapi(loginRoute, async (c) => {
    const body = c.req.valid('json');
    const email = normalizeEmail(body.email);
    const ip = clientIp(c, config.trustProxy);
    const retryAfterSeconds = Math.max(
      ...(await Promise.all([failuresPerAccount.retryAfterSeconds(`account:${email}`), failuresPerIp.retryAfterSeconds(`ip:${ip}`)])),
    );
    if (retryAfterSeconds > 0) {
      deps.logins.inc({ result: 'rate_limited' });
      throw new AuthServiceError('rate_limited', 'too many failed attempts, try again later', { retryAfterSeconds });
    }
    const found = await users.credentialsByEmail(email);
    // Same work whether or not the account exists: one scrypt verification.
    const passwordOk = await verifyPassword(found?.passwordHash ?? (await dummyHash), body.password);
    if (!found || !found.passwordHash || !passwordOk) {
      await Promise.all([failuresPerAccount.record(`account:${email}`), failuresPerIp.record(`ip:${ip}`)]);
      deps.logins.inc({ result: 'failed' });
      throw new AuthServiceError('invalid_credentials', 'email or password is incorrect');
    }
    await failuresPerAccount.reset(`account:${email}`);
    deps.logins.inc({ result: 'ok' });
    return c.json(await session(found.user), 200);
  });

  app.openapi(guestRoute, async (c) => {
    const body = c.req.valid('json');
    await limitCreation(clientIp(c, config.trustProxy));
    const user = await users.create({ email: null, passwordHash: null, name: body.name ?? randomFriendlyName(), color: randomColor(), guest: true });
    logger.info({ userId: user.id }, 'guest created');
    return c.json(await session(user), 201);
  });

  app.openapi(refreshRoute, async (c) => {
    const body = c.req.valid('json');
    const outcome = await refreshTokens.rotate(body.refreshToken);
    if (!outcome.ok) {
      if (outcome.reason === 'reused') logger.warn('spent refresh token presented again: its session was revoked');
      throw new AuthServiceError('invalid_refresh_token', 'refresh token is not valid, sign in again');
    }
    const user = await users.byId(outcome.userId);
    if (!user) throw new AuthServiceError('invalid_refresh_token', 'refresh token is not valid, sign in again');
    const access = await issuer.accessToken(user);
    return c.json({ user, accessToken: access.token, expiresIn: access.expiresIn, refreshToken: outcome.refreshToken }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const body = c.req.valid('json');
    await refreshTokens.revokeFamilyOf(body.refreshToken);
    return c.body(null, 204);
  });

  // Per route, never `use('*')`: a wildcard would also guard routes mounted after this app.
  const signedIn = requireUser(deps.verifier);

  app.openapi({ ...meRoute, middleware: signedIn }, async (c) => {
    const user = await users.byId(c.var.identity.userId);
    if (!user) throw new AuthError('invalid_token', 'the account no longer exists');
    return c.json({ user }, 200);
  });

  /** Log out everywhere: every refresh token of the caller stops working. */
  app.openapi({ ...logoutAllRoute, middleware: signedIn }, async (c) => {
    const revoked = await refreshTokens.revokeAllOf(c.var.identity.userId);
    logger.info({ userId: c.var.identity.userId, revoked }, 'logged out everywhere');
    return c.json({ revoked }, 200);
  });

  /** A guest becomes a full account with the same id, so it keeps its documents. */
  app.openapi({ ...upgradeRoute, middleware: signedIn }, async (c) => {
    const body = c.req.valid('json');
    const passwordHash = await hashPassword(body.password, config.scrypt);
    try {
      const input: { email: string; passwordHash: string; name?: string } = { email: normalizeEmail(body.email), passwordHash };
      if (body.name) input.name = body.name;
      const user = await users.upgradeGuest(c.var.identity.userId, input);
      if (!user) throw new AuthServiceError('not_a_guest', 'only guest accounts can be upgraded');
      logger.info({ userId: user.id }, 'guest upgraded');
      return c.json(await session(user), 200);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthServiceError('email_taken', 'an account with this email already exists');
      throw error;
    }
  });

  return app;
}
