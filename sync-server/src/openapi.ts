import { CloseCodes } from '@copycloud/protocol';
import type { ApiFragment } from '@copycloud/openapi';
import { YJS_PATH_PREFIX } from './transport/y-websocket.js';

/** Close codes listed from the protocol module itself, so the docs follow it. */
const closeCodes = Object.values(CloseCodes)
  .map(({ code, reason }) => `- \`${code}\` ${reason}`)
  .join('\n');

/**
 * The sync node's HTTP surface is only the ops routes (documented by
 * `opsFragment`); what it is for are its WebSocket endpoints, which OpenAPI
 * cannot express: they go in `x-websockets` and in `info.description`.
 */
export const syncApiFragment: ApiFragment = {
  service: 'sync',
  tags: [],
  routes: [],
  description: `## WebSocket endpoints (sync nodes)

Collaboration runs over WebSockets on the sync nodes, not over this HTTP API. Both endpoints need a **document token** from \`POST /api/docs/{id}/token\` (\`aud: copycloud-sync\`); viewers and commenters are read-only. See \`x-websockets\` in this document.

- \`/sync?doc=ID\`: the Hocuspocus protocol (\`@hocuspocus/provider\`); the token travels in the protocol's auth message.
- \`${YJS_PATH_PREFIX}ID?token=JWT\`: the plain y-websocket protocol (\`WebsocketProvider\`); the token may instead be a \`Sec-WebSocket-Protocol\` entry.

## Close codes

${closeCodes}`,
  websockets: [
    {
      path: '/sync',
      protocol: 'Hocuspocus v4 (what @hocuspocus/provider speaks)',
      description:
        'Several documents may share one socket (bounded). The document token is sent in the Hocuspocus auth message; a bad token gets a permission-denied message and no document. A node that is shutting down refuses the upgrade with HTTP 503 and closes open sockets with 4503 (reconnect elsewhere).',
      query: { doc: 'the document id: lets a load balancer hash on it so all clients of a document meet on one node (not read by the node itself)' },
    },
    {
      path: `${YJS_PATH_PREFIX}{documentId}`,
      protocol: 'y-websocket (what y-websocket WebsocketProvider speaks)',
      description:
        'One document per socket. The token is checked before the upgrade: HTTP 400 for a bad document id, 401 for a missing or bad token. Tokens in the query string are redacted from every log line.',
      query: { token: 'the document token (or send it as a Sec-WebSocket-Protocol entry)' },
    },
  ],
};
