import type { AccessEventBus, DocumentTokenVerifier } from '@copycloud/auth-client';
import type { Logger } from '@copycloud/observability';
import { AccessOverrides } from './access-overrides.js';
import { JwksDocumentAuthorizer } from './jwks-document-authorizer.js';
import { LiveAccessExtension } from './live-access-extension.js';

export { AccessOverrides } from './access-overrides.js';
export { JwksDocumentAuthorizer } from './jwks-document-authorizer.js';
export { LiveAccessExtension } from './live-access-extension.js';

/**
 * Everything a sync node needs for auth: pass `authorizer` and
 * `extensions: [liveAccess]` to `createSyncNode`.
 */
export function createDocumentAuth(options: { verifier: DocumentTokenVerifier; events: AccessEventBus; logger: Logger }) {
  const overrides = new AccessOverrides();
  return {
    authorizer: new JwksDocumentAuthorizer(options.verifier, overrides),
    liveAccess: new LiveAccessExtension(options.events, overrides, options.logger.child({ component: 'live-access' })),
    overrides,
  };
}
