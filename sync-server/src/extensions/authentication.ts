import type { Extension, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import { CloseCodes, canEditContent, type Role } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';

/** The per-document role, as @copycloud/protocol defines it. */
export type DocumentRole = Role;

/** Who is on a connection, as established from its token. */
export interface ConnectionIdentity {
  userId: string;
  name: string;
  color: string;
  role: DocumentRole;
}

/**
 * Decides whether `token` grants access to `documentName`. Throws
 * `AuthorizationError` when it does not. Implementations must not touch the
 * database: connecting scales with the nodes (DESIGN.md, tokens).
 */
export interface DocumentAuthorizer {
  authorize(token: string, documentName: string): Promise<ConnectionIdentity>;
}

export class AuthorizationError extends Error {
  readonly code = 'unauthorized';
  constructor(
    message: string,
    readonly reason: string = CloseCodes.Unauthorized.reason,
  ) {
    super(message);
  }
}

/** AUTH_DISABLED=true: everyone is an editor. For development only. */
export const openAuthorizer: DocumentAuthorizer = {
  async authorize() {
    return { userId: 'anonymous', name: 'Anonymous', color: '#888888', role: 'editor' };
  },
};

/** Read-only on the content: the editing rule of @copycloud/protocol, negated. */
export function isReadOnlyRole(role: DocumentRole): boolean {
  return !canEditContent(role);
}

/** Runs the authorizer for every document a connection opens; sets read-only for viewers. */
export class AuthenticationExtension implements Extension {
  readonly extensionName = 'copycloud-authentication';
  readonly priority = 900;

  constructor(
    private readonly authorizer: DocumentAuthorizer,
    private readonly logger: Logger,
  ) {}

  async onAuthenticate(payload: onAuthenticatePayload): Promise<{ identity: ConnectionIdentity }> {
    try {
      const identity = await this.authorizer.authorize(payload.token, payload.documentName);
      if (isReadOnlyRole(identity.role)) payload.connectionConfig.readOnly = true;
      return { identity };
    } catch (error) {
      this.logger.info(
        { documentName: payload.documentName, socketId: payload.socketId, reason: (error as Error).message },
        'connection refused',
      );
      // Hocuspocus sends `reason` to the client as the permission-denied reason.
      throw error instanceof AuthorizationError ? error : new AuthorizationError('authorization failed');
    }
  }

  /**
   * Token renewal mid-session (the provider's `sendToken()`): a fresh token
   * for the same user and document replaces the connection's identity and
   * role; anything else closes the connection as unauthorized.
   */
  async onTokenSync(payload: onTokenSyncPayload): Promise<{ identity: ConnectionIdentity }> {
    const current = (payload.context as { identity?: ConnectionIdentity } | undefined)?.identity;
    try {
      const identity = await this.authorizer.authorize(payload.token, payload.documentName);
      if (current && identity.userId !== current.userId) {
        throw new AuthorizationError(`renewed token names another user (${identity.userId})`, CloseCodes.Forbidden.reason);
      }
      payload.connection.readOnly = isReadOnlyRole(identity.role);
      if (current) Object.assign(current, identity);
      return { identity: current ?? identity };
    } catch (error) {
      this.logger.info(
        { documentName: payload.documentName, socketId: payload.socketId, reason: (error as Error).message },
        'token renewal refused',
      );
      const refused = error instanceof AuthorizationError ? error : new AuthorizationError('authorization failed');
      // Hocuspocus closes the connection with this code and reason.
      throw Object.assign(refused, { code: CloseCodes.Unauthorized.code });
    }
  }
}
