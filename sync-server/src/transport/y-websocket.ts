import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AuthMessageType } from '@hocuspocus/common';
import { MessageType, type Hocuspocus, type WebSocketLike } from '@hocuspocus/server';
import { CloseCodes, isValidDocumentId, type CloseReason } from '@copycloud/protocol';
import { redactUrl, type Logger } from '@copycloud/observability';
import type { DocumentAuthorizer } from '../extensions/authentication.js';
import type { SyncMetrics } from '../metrics.js';
import { inspectFrame } from './frame-guard.js';
import { SocketRegistry } from './socket-registry.js';
import { corkPerTurn } from './turn-cork.js';

export const YJS_PATH_PREFIX = '/yjs/';
/** Sub-protocol names a y-websocket client may offer besides its token. */
const KNOWN_SUBPROTOCOLS = new Set(['yjs', 'y-websocket']);

/** y-websocket message types (y-websocket/src/y-websocket.js). */
const enum YMessage {
  Sync = 0,
  Awareness = 1,
  Auth = 2,
  QueryAwareness = 3,
}

export interface YWebsocketOptions {
  hocuspocus: Hocuspocus;
  authorizer: DocumentAuthorizer;
  logger: Logger;
  metrics: SyncMetrics;
  maxPayloadBytes: number;
}

/**
 * `/yjs/ID?token=…`: the plain y-websocket protocol over the same Hocuspocus
 * documents as `/sync`. Each socket becomes an ordinary Hocuspocus client
 * connection by translating framing — y-websocket frames are Hocuspocus
 * frames without the leading document name — so storage, Redis fan-out,
 * awareness, auth hooks and read-only roles are exactly those of `/sync`.
 * The token is checked before the upgrade (a bad token gets HTTP 401) and
 * again by the authentication extension through a synthesized auth message.
 */
export class YWebsocketServer {
  private readonly wss: WebSocketServer;
  readonly sockets = new SocketRegistry();

  constructor(private readonly options: YWebsocketOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => {
        for (const p of protocols) if (KNOWN_SUBPROTOCOLS.has(p)) return p;
        // Browsers need one offered entry echoed back; the token is the only one.
        return protocols.values().next().value ?? false;
      },
    });
  }

  /** `path` is the URL path; returns after the socket is accepted or refused. */
  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { logger, metrics, authorizer } = this.options;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const log = logger.child({ url: redactUrl(url.pathname + url.search), remote: request.socket.remoteAddress });
    let documentName: string;
    try {
      documentName = decodeURIComponent(url.pathname.slice(YJS_PATH_PREFIX.length));
    } catch {
      documentName = '';
    }
    if (!isValidDocumentId(documentName)) {
      metrics.socketsRejected.inc({ reason: CloseCodes.BadDocumentName.reason });
      return refuse(socket, 400, 'Bad Request');
    }
    const token = url.searchParams.get('token') ?? tokenFromProtocols(request.headers['sec-websocket-protocol']);
    if (!token) {
      metrics.socketsRejected.inc({ reason: CloseCodes.Unauthorized.reason });
      log.info({ documentName }, 'y-websocket refused: no token');
      return refuse(socket, 401, 'Unauthorized');
    }
    try {
      await authorizer.authorize(token, documentName);
    } catch (error) {
      metrics.socketsRejected.inc({ reason: CloseCodes.Unauthorized.reason });
      log.info({ documentName, reason: (error as Error).message }, 'y-websocket refused: bad token');
      return refuse(socket, 401, 'Unauthorized');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, documentName, token, log));
  }

  private accept(ws: WebSocket, request: IncomingMessage, documentName: string, token: string, log: Logger): void {
    const { hocuspocus, metrics } = this.options;
    this.sockets.add(ws);
    this.sockets.bind(ws, documentName);
    metrics.socketsOpened.inc();
    const closeWith = (reason: CloseReason, detail: string) => {
      log.warn({ code: reason.code, documentName, detail }, 'closing y-websocket connection: %s', reason.reason);
      metrics.socketsRejected.inc({ reason: reason.reason });
      ws.close(reason.code, reason.reason);
    };

    corkPerTurn(ws);
    // Hocuspocus writes framed messages here; the client gets them unframed.
    const adapter: WebSocketLike = {
      get readyState() {
        return ws.readyState;
      },
      send: (data) => {
        const out = toYWebsocketFrame(data as Uint8Array);
        if (out === 'denied') return closeWith(CloseCodes.Unauthorized, 'permission denied by the authentication hook');
        if (out === null) return;
        metrics.messagesOut.inc();
        ws.send(out);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const webRequest = new Request(new URL(redactUrl(request.url ?? '/'), `http://${request.headers.host ?? 'localhost'}`));
    const client = hocuspocus.handleConnection(adapter, webRequest);
    const prefix = documentPrefix(documentName);
    client.handleMessage(authFrame(prefix, token));

    ws.on('message', (data: RawData, isBinary: boolean) => {
      metrics.messagesIn.inc();
      if (!this.sockets.accepting) return; // draining: the client resends it to the node it reconnects to
      if (!isBinary) return closeWith(CloseCodes.BadMessage, 'text frame on a binary protocol');
      const payload = toUint8Array(data);
      if (payload.byteLength === 0) return closeWith(CloseCodes.BadMessage, 'empty frame');
      if (payload[0] === YMessage.Auth) return; // y-websocket's auth message is not used: the token came with the URL
      const frame = concat(prefix, payload);
      const verdict = inspectFrame(frame);
      if (!verdict.ok) return closeWith(verdict.close, verdict.detail);
      if (verdict.type !== YMessage.Sync && verdict.type !== YMessage.Awareness && verdict.type !== YMessage.QueryAwareness) {
        return closeWith(CloseCodes.BadMessage, `message type ${verdict.type} is not part of the y-websocket protocol`);
      }
      if (verdict.carriesUpdate) metrics.updateBytesIn.inc(payload.byteLength);
      client.handleMessage(frame);
    });
    ws.on('close', (code, reason) => {
      this.sockets.remove(ws);
      metrics.socketsClosed.inc();
      client.handleClose({ code, reason: reason.toString() });
    });
    ws.on('error', (error) => log.warn({ err: error, documentName }, 'websocket error'));
  }

  closeAll(reason: CloseReason): void {
    this.sockets.closeAll(reason);
  }

  /** Pauses (or resumes) reading the sockets of a document whose update-log backlog is over its bound. */
  setOverloaded(documentName: string, overloaded: boolean): void {
    this.sockets.setOverloaded(documentName, overloaded);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/** Hocuspocus frame → y-websocket frame; null to drop; 'denied' when auth was refused. */
function toYWebsocketFrame(frame: Uint8Array): Uint8Array | null | 'denied' {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  const rest = frame.subarray(decoder.pos);
  switch (type) {
    case YMessage.Sync:
    case MessageType.SyncReply:
      return concat(Uint8Array.of(YMessage.Sync), rest);
    case YMessage.Awareness:
      return concat(Uint8Array.of(YMessage.Awareness), rest);
    case YMessage.QueryAwareness:
      return Uint8Array.of(YMessage.QueryAwareness);
    case YMessage.Auth:
      return decoding.readVarUint(decoder) === AuthMessageType.PermissionDenied ? 'denied' : null;
    default:
      // Stateless ("saved" acks), sync status, ping/pong: Hocuspocus-only.
      return null;
  }
}

function documentPrefix(documentName: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  return encoding.toUint8Array(encoder);
}

function authFrame(prefix: Uint8Array, token: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8Array(encoder, prefix);
  encoding.writeVarUint(encoder, YMessage.Auth);
  encoding.writeVarUint(encoder, AuthMessageType.Token);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}

/** A token offered as a Sec-WebSocket-Protocol entry: any entry that is not a known sub-protocol name. */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  for (const entry of header.split(',')) {
    const value = entry.trim();
    if (value && !KNOWN_SUBPROTOCOLS.has(value)) return value;
  }
  return null;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
