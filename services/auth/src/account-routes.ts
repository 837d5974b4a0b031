import { Hono } from 'hono';
import { z } from 'zod';
import { AuthError, requireUser, type AccessTokenVerifier, type AuthVariables } from '@copycloud/auth-client';
import { jsonBody } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import type { Counter } from 'prom-client';
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

  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/api/auth/signup', jsonBody(signupBody), async (c) => {
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

  app.post('/api/auth/login', jsonBody(loginBody), async (c) => {
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
    return c.json(await session(found.user));
  });

  app.post('/api/auth/guest', jsonBody(guestBody), async (c) => {
    const body = c.req.valid('json');
    await limitCreation(clientIp(c, config.trustProxy));
    const user = await users.create({ email: null, passwordHash: null, name: body.name ?? randomFriendlyName(), color: randomColor(), guest: true });
    logger.info({ userId: user.id }, 'guest created');
    return c.json(await session(user), 201);
  });

  app.post('/api/auth/refresh', jsonBody(refreshBody), async (c) => {
    const body = c.req.valid('json');
    const outcome = await refreshTokens.rotate(body.refreshToken);
    if (!outcome.ok) {
      if (outcome.reason === 'reused') logger.warn('spent refresh token presented again: its session was revoked');
      throw new AuthServiceError('invalid_refresh_token', 'refresh token is not valid, sign in again');
    }
    const user = await users.byId(outcome.userId);
    if (!user) throw new AuthServiceError('invalid_refresh_token', 'refresh token is not valid, sign in again');
    const access = await issuer.accessToken(user);
    return c.json({ user, accessToken: access.token, expiresIn: access.expiresIn, refreshToken: outcome.refreshToken });
  });

  app.post('/api/auth/logout', jsonBody(refreshBody), async (c) => {
    const body = c.req.valid('json');
    await refreshTokens.revokeFamilyOf(body.refreshToken);
    return c.body(null, 204);
  });

  // Per route, never `use('*')`: a wildcard would also guard routes mounted after this app.
  const signedIn = requireUser(deps.verifier);

  app.get('/api/auth/me', signedIn, async (c) => {
    const user = await users.byId(c.var.identity.userId);
    if (!user) throw new AuthError('invalid_token', 'the account no longer exists');
    return c.json({ user });
  });

  /** Log out everywhere: every refresh token of the caller stops working. */
  app.post('/api/auth/logout-all', signedIn, jsonBody(z.strictObject({})), async (c) => {
    const revoked = await refreshTokens.revokeAllOf(c.var.identity.userId);
    logger.info({ userId: c.var.identity.userId, revoked }, 'logged out everywhere');
    return c.json({ revoked });
  });

  /** A guest becomes a full account with the same id, so it keeps its documents. */
  app.post('/api/auth/upgrade', signedIn, jsonBody(signupBody), async (c) => {
    const body = c.req.valid('json');
    const passwordHash = await hashPassword(body.password, config.scrypt);
    try {
      const input: { email: string; passwordHash: string; name?: string } = { email: normalizeEmail(body.email), passwordHash };
      if (body.name) input.name = body.name;
      const user = await users.upgradeGuest(c.var.identity.userId, input);
      if (!user) throw new AuthServiceError('not_a_guest', 'only guest accounts can be upgraded');
      logger.info({ userId: user.id }, 'guest upgraded');
      return c.json(await session(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthServiceError('email_taken', 'an account with this email already exists');
      throw error;
    }
  });

  return app;
}
