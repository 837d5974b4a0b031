import type { Connection, Extension, Hocuspocus } from '@hocuspocus/server';
import type { AccessEvent, AccessEventBus } from '@copycloud/auth-client';
import { CloseCodes, encodeStateless, STATELESS_PROTOCOL_VERSION, type ServerStatelessMessage } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { isReadOnlyRole, type ConnectionIdentity } from '../extensions/authentication.js';
import { YJS_PATH_PREFIX } from '../transport/y-websocket.js';
import type { AccessOverrides } from './access-overrides.js';

/**
 * Applies pushed access changes to live connections: a removed member (or a
 * deleted document) is disconnected with 4403, a demoted one becomes
 * read-only at once, a promoted one writable. Every change is also told to
 * the client first (`role-changed`, `document-deleted`, `document-renamed`
 * stateless messages), so it never goes on sending updates the node drops
 * without a word. Also records the change so older tokens are capped on
 * their next connect.
 */
export class LiveAccessExtension implements Extension {
  readonly extensionName = 'copycloud-live-access';
  private instance: Hocuspocus | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: AccessEventBus,
    private readonly overrides: AccessOverrides,
    private readonly logger: Logger,
  ) {}

  async onConfigure({ instance }: { instance: Hocuspocus }): Promise<void> {
    this.instance = instance;
    this.unsubscribe ??= this.events.subscribe((event) => this.handle(event));
  }

  async onDestroy(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  handle(event: AccessEvent): void {
    this.overrides.apply(event);
    const document = this.instance?.documents.get(event.documentId);
    if (!document) return;
    for (const connection of document.getConnections()) {
      const identity = (connection.context as { identity?: ConnectionIdentity } | undefined)?.identity;
      if (!identity) continue;
      switch (event.type) {
        case 'document-renamed':
          // The title is document content: sent to members, never logged.
          tell(connection, { type: 'document-renamed', v: STATELESS_PROTOCOL_VERSION, title: event.title });
          continue;
        case 'document-deleted':
          // Said before the close, so the page can tell "deleted" from "removed".
          tell(connection, { type: 'document-deleted', v: STATELESS_PROTOCOL_VERSION });
          this.disconnect(connection, event.documentId, identity.userId, 'document deleted');
          continue;
        case 'access-changed':
          if (identity.userId !== event.userId) continue;
          if (event.role === null) {
            this.disconnect(connection, event.documentId, identity.userId, 'access revoked');
            continue;
          }
          identity.role = event.role;
          connection.readOnly = isReadOnlyRole(event.role);
          tell(connection, { type: 'role-changed', v: STATELESS_PROTOCOL_VERSION, role: event.role });
          this.logger.info({ documentName: event.documentId, socketId: connection.socketId, userId: identity.userId, role: event.role }, 'connection role changed');
          continue;
        default: {
          const unreachable: never = event;
          throw new Error(`unknown access event ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  private disconnect(connection: Connection, documentName: string, userId: string, why: string): void {
    this.logger.info({ documentName, socketId: connection.socketId, userId }, `closing connection: ${why}`);
    const { code, reason } = CloseCodes.Forbidden;
    // Drop writes at once, even before the close is processed.
    connection.readOnly = true;
    connection.close({ code, reason });
    // A y-websocket socket carries one document: close the socket itself with 4403.
    // A /sync socket may multiplex several documents: only this one is closed.
    if (new URL(connection.request.url).pathname.startsWith(YJS_PATH_PREFIX)) connection.webSocket.close(code, reason);
  }
}

function tell(connection: Connection, message: ServerStatelessMessage): void {
  connection.sendStateless(encodeStateless(message));
}
