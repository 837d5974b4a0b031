import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  jwtVerify,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AuthError, type AccessTokenVerifier, type RequestIdentity } from './identity.js';
import { isRole } from './roles.js';
import {
  ACCESS_TOKEN_AUDIENCE,
  CLOCK_TOLERANCE_SECONDS,
  DOCUMENT_TOKEN_AUDIENCE,
  MAX_TOKEN_TTL_SECONDS,
  TOKEN_ALGORITHMS,
  type DocumentTokenClaims,
} from './tokens.js';

/** An unknown `kid` triggers at most one refetch per this interval (DESIGN.md). */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;
/** Even with known kids, keys are refreshed this often so retired keys drop out. */
export const JWKS_MAX_AGE_MS = 10 * 60_000;
const JWKS_FETCH_TIMEOUT_MS = 5_000;

export interface JwksVerifierOptions {
  /** `http(s)://…/.well-known/jwks.json` or `file:///…/jwks.json`. */
  jwksUrl?: string;
  /** In-process key set (auth mounted in the same process): always current, never cached. */
  getKeySet?: () => Promise<JSONWebKeySet>;
  /** Expected `iss`. */
  issuer: string;
  /** How soon an unknown `kid` may refetch the set (default JWKS_REFETCH_COOLDOWN_MS). */
  refetchCooldownMs?: number;
}

export interface DocumentTokenVerifier {
  verifyDocumentToken(token: string): Promise<DocumentTokenClaims>;
}

export type JwksVerifier = AccessTokenVerifier & DocumentTokenVerifier;

/**
 * Verifies access and document tokens against a JWKS, without any database.
 * Accepts only EdDSA/ES256 signatures by a key in the set (matched by `kid`),
 * the configured issuer, the audience of the token kind, and a lifetime of at
 * most 15 minutes.
 */
export function createJwksVerifier(options: JwksVerifierOptions): JwksVerifier {
  const getKey = options.getKeySet ? inProcessKeys(options.getKeySet) : remoteKeys(options);

  async function verify(token: string, audience: string): Promise<JWTPayload> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience,
        algorithms: [...TOKEN_ALGORITHMS],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
      });
      if (!protectedHeader.kid) throw new AuthError('invalid_token', 'token has no kid');
      if (payload.exp! - payload.iat! > MAX_TOKEN_TTL_SECONDS) {
        throw new AuthError('invalid_token', `token lifetime is over ${MAX_TOKEN_TTL_SECONDS} s`);
      }
      return payload;
    } catch (error) {
      throw toAuthError(error);
    }
  }

  return {
    async verifyAccessToken(token) {
      const payload = await verify(token, ACCESS_TOKEN_AUDIENCE);
      const identity: RequestIdentity = {
        userId: payload.sub!,
        name: stringClaim(payload, 'name'),
        color: stringClaim(payload, 'color'),
      };
      if (payload['guest'] === true) identity.guest = true;
      return identity;
    },
    async verifyDocumentToken(token) {
      const payload = await verify(token, DOCUMENT_TOKEN_AUDIENCE);
      const role = payload['role'];
      if (!isRole(role)) throw new AuthError('invalid_token', 'document token has no valid role');
      return {
        userId: payload.sub!,
        documentId: stringClaim(payload, 'doc'),
        role,
        name: stringClaim(payload, 'name'),
        color: stringClaim(payload, 'color'),
        issuedAt: payload.iat!,
        expiresAt: payload.exp!,
      };
    },
  };
}

function stringClaim(payload: JWTPayload, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string') throw new AuthError('invalid_token', `token claim ${name} is missing`);
  return value;
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof joseErrors.JWTExpired) return new AuthError('expired_token', 'token expired');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new AuthError('invalid_token', 'token signed by an unknown key');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthError('invalid_token', `token claim ${error.claim} is not acceptable`);
  }
  if (error instanceof joseErrors.JOSEError) return new AuthError('invalid_token', `token rejected (${error.code})`);
  // Key set unavailable or anything else: refuse, never accept.
  return new AuthError('invalid_token', `token could not be verified: ${(error as Error).message}`);
}

function inProcessKeys(getKeySet: () => Promise<JSONWebKeySet>): JWTVerifyGetKey {
  return async (header, token) => createLocalJWKSet(await getKeySet())(header, token);
}

/**
 * Reads a JWKS URL for jose's remote key set: `file://` from disk (a key set
 * mounted as a file), http(s) with fetch.
 */
const readKeySet: FetchImplementation = async (url, init) => {
  if (!url.startsWith('file:')) return fetch(url, init);
  return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { 'content-type': 'application/json' } });
};

/**
 * A JWKS fetched from a URL and cached by jose: refreshed every
 * JWKS_MAX_AGE_MS; an unknown `kid` refetches at most once per cooldown, so a
 * flood of forged kids cannot hammer the auth service.
 */
function remoteKeys(options: JwksVerifierOptions): JWTVerifyGetKey {
  if (!options.jwksUrl) throw new Error('createJwksVerifier: jwksUrl or getKeySet is required');
  const url = new URL(options.jwksUrl);
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
    throw new Error(`createJwksVerifier: jwksUrl must be http(s):// or file://, got ${url.protocol}`);
  }
  return createRemoteJWKSet(url, {
    cooldownDuration: options.refetchCooldownMs ?? JWKS_REFETCH_COOLDOWN_MS,
    cacheMaxAge: JWKS_MAX_AGE_MS,
    timeoutDuration: JWKS_FETCH_TIMEOUT_MS,
    [customFetch]: readKeySet,
  });
}
