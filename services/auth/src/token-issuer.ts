import { SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, DOCUMENT_TOKEN_AUDIENCE, MAX_TOKEN_TTL_SECONDS, type Role } from '@copycloud/auth-client';
import type { SigningKeys } from './signing-keys.js';

/** Access tokens live 10 minutes; the client refreshes them with its refresh token. */
export const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;
/** Document tokens live 10 minutes; the editor fetches a new one before that. */
export const DOCUMENT_TOKEN_TTL_SECONDS = 10 * 60;

export interface TokenSubject {
  id: string;
  name: string;
  color: string;
  guest: boolean;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/** Signs the two kinds of JWT the system uses (DESIGN.md, Tokens). */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly ttl: { accessSeconds?: number; documentSeconds?: number } = {},
  ) {
    for (const seconds of [ttl.accessSeconds, ttl.documentSeconds]) {
      if (seconds !== undefined && (seconds <= 0 || seconds > MAX_TOKEN_TTL_SECONDS)) {
        throw new RangeError(`token lifetime must be 1-${MAX_TOKEN_TTL_SECONDS} s, got ${seconds}`);
      }
    }
  }

  async accessToken(user: TokenSubject): Promise<IssuedToken> {
    const expiresIn = this.ttl.accessSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    const claims: Record<string, unknown> = { name: user.name, color: user.color };
    if (user.guest) claims['guest'] = true;
    return { token: await this.sign(claims, user.id, ACCESS_TOKEN_AUDIENCE, expiresIn), expiresIn };
  }

  async documentToken(user: TokenSubject, documentId: string, role: Role): Promise<IssuedToken> {
    const expiresIn = this.ttl.documentSeconds ?? DOCUMENT_TOKEN_TTL_SECONDS;
    const claims = { doc: documentId, role, name: user.name, color: user.color };
    return { token: await this.sign(claims, user.id, DOCUMENT_TOKEN_AUDIENCE, expiresIn), expiresIn };
  }

  private async sign(claims: Record<string, unknown>, subject: string, audience: string, expiresIn: number): Promise<string> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(key.privateKey);
  }
}
