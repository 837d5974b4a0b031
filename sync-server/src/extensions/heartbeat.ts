import type { Extension, onStatelessPayload } from '@hocuspocus/server';
import { decodeClientStateless, encodeStateless, STATELESS_PROTOCOL_VERSION } from '@copycloud/protocol';

/**
 * Answers a client's `ping` with a `pong` at once. The editor pings every
 * second while connected and calls itself offline when the answers stop, so
 * a dead or half-open socket shows "Offline" within seconds instead of after
 * the provider's 30 s silence timeout. Nothing is stored or logged.
 */
export class HeartbeatExtension implements Extension {
  readonly extensionName = 'copycloud-heartbeat';

  async onStateless({ connection, payload }: onStatelessPayload): Promise<void> {
    const message = decodeClientStateless(payload);
    if (message?.type !== 'ping') return;
    connection.sendStateless(encodeStateless({ type: 'pong', v: STATELESS_PROTOCOL_VERSION, seq: message.seq }));
  }
}
