import type { DocumentTokenVerifier } from '@copycloud/auth-client';
import { CloseCodes } from '@copycloud/protocol';
import { AuthorizationError, type ConnectionIdentity, type DocumentAuthorizer } from '../extensions/authentication.js';
import type { AccessOverrides } from './access-overrides.js';

/**
 * Accepts a connection when its document token verifies against the JWKS,
 * names this document, and was not revoked by a pushed access event since it
 * was issued. No database round trip: connecting scales with the nodes.
 */
export class JwksDocumentAuthorizer implements DocumentAuthorizer {
  constructor(
    private readonly verifier: DocumentTokenVerifier,
    private readonly overrides: AccessOverrides,
  ) {}

  async authorize(token: string, documentName: string): Promise<ConnectionIdentity> {
    if (!token) throw new AuthorizationError('no token');
    let claims;
    try {
      claims = await this.verifier.verifyDocumentToken(token);
    } catch (error) {
      throw new AuthorizationError((error as Error).message);
    }
    if (claims.documentId !== documentName) {
      throw new AuthorizationError(`token is for another document (${claims.documentId})`, CloseCodes.Forbidden.reason);
    }
    const role = this.overrides.effectiveRole(documentName, claims.userId, claims.role, claims.issuedAt);
    if (role === null) throw new AuthorizationError('access was revoked after this token was issued', CloseCodes.Forbidden.reason);
    return { userId: claims.userId, name: claims.name, color: claims.color, role };
  }
}
