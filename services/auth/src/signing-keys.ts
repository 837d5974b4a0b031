import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Database } from '@copycloud/db';
import { CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_TTL_SECONDS } from '@copycloud/auth-client';

/** Algorithm of generated keys (Ed25519). Configured keys may be EdDSA or ES256. */
export const GENERATED_KEY_ALG = 'EdDSA';
/** A retired key stays published this long: every token it signed has expired by then. */
export const RETIRED_KEY_GRACE_MS = (MAX_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000;
/** Replicas pick up keys rotated by another replica within this interval. */
const RELOAD_INTERVAL_MS = 60_000;

export interface SigningKey {
  kid: string;
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
}

interface PublishedKey {
  kid: string;
  publicJwk: JWK;
  /** ms since epoch; undefined = active. */
  retiredAt?: number;
}

export class SigningKeyError extends Error {
  readonly code = 'invalid_signing_key';
}

/**
 * The keys tokens are signed with. Embedded mode: generated on first start and
 * kept in Postgres/PGlite (`auth_signing_keys`), shared by every replica on
 * that database. Configured mode (`AUTH_PRIVATE_JWK`): the key comes from the
 * environment and nothing is stored.
 */
export class SigningKeys {
  private active: SigningKey | undefined;
  private published: PublishedKey[] = [];
  private loadedAt = 0;

  constructor(
    private readonly db: Database,
    private readonly options: { privateJwk?: JWK; retiredPublicJwks?: JWK[]; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async init(): Promise<void> {
    if (this.options.privateJwk) {
      const { key, publicJwk } = await importConfiguredKey(this.options.privateJwk);
      this.active = key;
      const retired = (this.options.retiredPublicJwks ?? []).map((jwk) => ({
        kid: requireKid(jwk),
        publicJwk: publicOnly(jwk),
        retiredAt: this.now(),
      }));
      this.published = [{ kid: key.kid, publicJwk }, ...retired];
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727275)');
      const { rows } = await tx.query('SELECT kid FROM auth_signing_keys WHERE retired_at IS NULL');
      if (rows.length === 0) await insertGeneratedKey(tx);
    });
    await this.reload();
  }

  /** Generates a new key and retires the current one (published until its tokens expired). */
  async rotate(): Promise<string> {
    if (this.options.privateJwk) throw new SigningKeyError('keys are configured (AUTH_PRIVATE_JWK): rotate by deploying a new key');
    const kid = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727275)');
      await tx.query('UPDATE auth_signing_keys SET retired_at = now() WHERE retired_at IS NULL');
      return insertGeneratedKey(tx);
    });
    await this.reload();
    return kid;
  }

  async signingKey(): Promise<SigningKey> {
    await this.reloadIfStale();
    if (!this.active) throw new SigningKeyError('signing keys are not initialised');
    return this.active;
  }

  /** The public keys, for `/.well-known/jwks.json` and in-process verifiers. */
  async jwks(): Promise<JSONWebKeySet> {
    await this.reloadIfStale();
    const cutoff = this.now() - RETIRED_KEY_GRACE_MS;
    return { keys: this.published.filter((k) => k.retiredAt === undefined || k.retiredAt > cutoff).map((k) => k.publicJwk) };
  }

  private async reloadIfStale(): Promise<void> {
    if (!this.options.privateJwk && this.now() - this.loadedAt > RELOAD_INTERVAL_MS) await this.reload();
  }

  private async reload(): Promise<void> {
    const { rows } = await this.db.query<{ kid: string; alg: string; private_jwk: string; public_jwk: string; retired_at: Date | string | null }>(
      `SELECT kid, alg, private_jwk, public_jwk, retired_at FROM auth_signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
        ORDER BY created_at DESC`,
      [RETIRED_KEY_GRACE_MS / 1000],
    );
    const activeRow = rows.find((r) => r.retired_at === null);
    if (!activeRow) throw new SigningKeyError('no active signing key in auth_signing_keys');
    const alg = activeRow.alg as SigningKey['alg'];
    this.active = {
      kid: activeRow.kid,
      alg,
      privateKey: (await importJWK(JSON.parse(activeRow.private_jwk) as JWK, alg)) as CryptoKey,
    };
    this.published = rows.map((r) => {
      const published: PublishedKey = { kid: r.kid, publicJwk: JSON.parse(r.public_jwk) as JWK };
      if (r.retired_at !== null) published.retiredAt = new Date(r.retired_at).getTime();
      return published;
    });
    this.loadedAt = this.now();
  }
}

async function insertGeneratedKey(tx: { query: Database['query'] }): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(GENERATED_KEY_ALG, { extractable: true, crv: 'Ed25519' });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: GENERATED_KEY_ALG };
  await tx.query('INSERT INTO auth_signing_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [
    kid,
    GENERATED_KEY_ALG,
    JSON.stringify(privateJwk),
    JSON.stringify({ ...publicJwk, kid, alg: GENERATED_KEY_ALG, use: 'sig' }),
  ]);
  return kid;
}

async function importConfiguredKey(jwk: JWK): Promise<{ key: SigningKey; publicJwk: JWK }> {
  const alg: string | undefined = jwk.alg ?? (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined);
  if (alg !== 'EdDSA' && alg !== 'ES256') {
    throw new SigningKeyError('AUTH_PRIVATE_JWK must be an Ed25519 (EdDSA) or P-256 (ES256) private JWK');
  }
  if (!jwk.d) throw new SigningKeyError('AUTH_PRIVATE_JWK has no private part ("d")');
  const publicJwk = publicOnly(jwk);
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const privateKey = (await importJWK({ ...jwk, alg }, alg)) as CryptoKey;
  return { key: { kid, alg, privateKey }, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

function publicOnly(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

function requireKid(jwk: JWK): string {
  if (!jwk.kid) throw new SigningKeyError('every retired public JWK needs a "kid"');
  return jwk.kid;
}
