import { z } from 'zod';
import type { JWK } from 'jose';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, redisPrefixSchema, urlSchema } from '@copycloud/config';
import { OWASP_SCRYPT_PARAMS, type ScryptParams } from './passwords.js';

const jwkSchema = z.string().transform((value, ctx) => {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as JWK;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key (JSON object)' });
  return z.NEVER;
});

const jwkListSchema = z.string().transform((value, ctx) => {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed) && parsed.every((k) => k && typeof k === 'object')) return parsed as JWK[];
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON array of public JWKs' });
  return z.NEVER;
});

const originListSchema = z.string().transform((value, ctx) => {
  const origins = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com (no path, no *)` });
      return z.NEVER;
    }
  }
  return origins;
});

/** The auth service's variables (extendable by the launcher). */
export const authEnvShape = {
  AUTH_ISSUER: z.string().default('copycloud'),
  /** Production signing key (Ed25519 or P-256 private JWK). Unset = generated and kept in the database. */
  AUTH_PRIVATE_JWK: jwkSchema.optional(),
  /** Public JWKs of keys rotated out, still published until their tokens expired. */
  AUTH_RETIRED_PUBLIC_JWKS: jwkListSchema.optional(),
  /** Browser origins allowed to call the API cross-origin. Unset = same-origin only. */
  CORS_ORIGINS: originListSchema.optional(),
  /** Take the client IP (for rate limits) from X-Forwarded-For. Only behind a proxy that sets it. */
  TRUST_PROXY: booleanSchema.default(false),
};

export const authEnvSchema = baseEnvSchema.extend({
  ...authEnvShape,
  PORT: baseEnvSchema.shape.PORT,
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: urlSchema(['redis:', 'rediss:']).optional(),
  REDIS_PREFIX: redisPrefixSchema,
  SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
});

export type AuthEnv = z.infer<typeof authEnvSchema>;

export function parseAuthEnv(env: Record<string, string | undefined>): AuthEnv {
  return parseEnv(authEnvSchema, env);
}

/** Failed logins per account per window before 429 (the 11th in a minute is refused). */
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
/** Failed logins per client IP per window. */
export const LOGIN_FAILURES_PER_IP = 50;
/** Accounts (signup + guest) created per client IP per window. */
export const ACCOUNTS_CREATED_PER_IP = 60;
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Largest JSON body accepted on any endpoint. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface AuthConfig {
  issuer: string;
  privateJwk?: JWK | undefined;
  retiredPublicJwks?: JWK[] | undefined;
  corsOrigins: string[];
  trustProxy: boolean;
  scrypt: ScryptParams;
  loginFailuresPerAccount: number;
  loginFailuresPerIp: number;
  accountsCreatedPerIp: number;
  rateLimitWindowMs: number;
  maxBodyBytes: number;
}

type AuthEnvSubset = z.infer<z.ZodObject<typeof authEnvShape>>;

export function authConfigFromEnv(env: AuthEnvSubset): AuthConfig {
  return {
    issuer: env.AUTH_ISSUER,
    privateJwk: env.AUTH_PRIVATE_JWK,
    retiredPublicJwks: env.AUTH_RETIRED_PUBLIC_JWKS,
    corsOrigins: env.CORS_ORIGINS ?? [],
    trustProxy: env.TRUST_PROXY,
    ...defaultAuthLimits(),
  };
}

export function defaultAuthLimits(): Pick<
  AuthConfig,
  'scrypt' | 'loginFailuresPerAccount' | 'loginFailuresPerIp' | 'accountsCreatedPerIp' | 'rateLimitWindowMs' | 'maxBodyBytes'
> {
  return {
    scrypt: OWASP_SCRYPT_PARAMS,
    loginFailuresPerAccount: LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerIp: LOGIN_FAILURES_PER_IP,
    accountsCreatedPerIp: ACCOUNTS_CREATED_PER_IP,
    rateLimitWindowMs: RATE_LIMIT_WINDOW_MS,
    maxBodyBytes: MAX_BODY_BYTES,
  };
}
