import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Hocuspocus } from '@hocuspocus/server';
import { CloseCodes, isValidDocumentId, type CloseReason } from '@copycloud/protocol';
import { redactUrl, type Logger } from '@copycloud/observability';
import { inspectFrame } from './frame-guard.js';
import { SocketRegistry } from './socket-registry.js';
import { corkPerTurn } from './turn-cork.js';
import type { SyncMetrics } from '../metrics.js';

export interface HocuspocusSocketOptions {
  hocuspocus: Hocuspocus;
  logger: Logger;
  metrics: SyncMetrics;
  maxPayloadBytes: number;
  maxDocumentsPerSocket: number;
}

/**
 * Bridges `ws` sockets on `/sync` to Hocuspocus. We own the socket layer
 * (rather than Hocuspocus' own Server) to bound frames, vet every frame
 * before Hocuspocus decodes it, pin a socket to the document in its URL, and
 * close sockets with our own codes on shutdown.
 */
export class HocuspocusSocketServer {
  private readonly wss: WebSocketServer;
  readonly sockets = new SocketRegistry();

  constructor(private readonly options: HocuspocusSocketOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const { hocuspocus, logger, metrics } = this.options;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pinnedDocument = url.searchParams.get('doc');
    const log = logger.child({ url: redactUrl(url.pathname + url.search), remote: request.socket.remoteAddress });

    this.sockets.add(ws);
    metrics.socketsOpened.inc();
    const closeWith = (reason: CloseReason, detail: string, documentName?: string) => {
      log.warn({ code: reason.code, documentName, detail }, 'closing connection: %s', reason.reason);
      metrics.socketsRejected.inc({ reason: reason.reason });
      ws.close(reason.code, reason.reason);
    };

    if (pinnedDocument !== null && !isValidDocumentId(pinnedDocument)) {
      closeWith(CloseCodes.BadDocumentName, `?doc= of ${pinnedDocument.length} characters is not a valid id`);
      return;
    }

    corkPerTurn(ws);
    // Count outgoing frames where they leave, whatever part of Hocuspocus sends them.
    const send = ws.send.bind(ws);
    ws.send = ((data: Parameters<WebSocket['send']>[0], ...rest: unknown[]) => {
      metrics.messagesOut.inc();
      return (send as (...args: unknown[]) => void)(data, ...rest);
    }) as WebSocket['send'];

    const webRequest = new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`), {
      headers: toHeaders(request.headers),
    });
    const client = hocuspocus.handleConnection(ws, webRequest);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      metrics.messagesIn.inc();
      if (!this.sockets.accepting) return; // draining: the client resends it to the node it reconnects to
      if (!isBinary) return closeWith(CloseCodes.BadMessage, 'text frame on a binary protocol');
      const frame = toUint8Array(data);
      const verdict = inspectFrame(frame);
      if (!verdict.ok) return closeWith(verdict.close, verdict.detail, verdict.documentName);
      if (pinnedDocument !== null && verdict.documentName !== pinnedDocument) {
        return closeWith(CloseCodes.BadDocumentName, `message addresses another document than ?doc=`, verdict.documentName);
      }
      if (!this.sockets.isBound(ws, verdict.documentName) && this.sockets.documentCount(ws) >= this.options.maxDocumentsPerSocket) {
        return closeWith(CloseCodes.TooManyDocuments, `over ${this.options.maxDocumentsPerSocket} documents`);
      }
      this.sockets.bind(ws, verdict.documentName);
      if (verdict.carriesUpdate) metrics.updateBytesIn.inc(frame.byteLength);
      client.handleMessage(frame);
    });
    ws.on('close', (code, reason) => {
      this.sockets.remove(ws);
      metrics.socketsClosed.inc();
      client.handleClose({ code, reason: reason.toString() });
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // ws has already answered with 1009 (Message Too Big); record why.
        log.warn({ code: CloseCodes.PayloadTooLarge.code, limitBytes: this.options.maxPayloadBytes }, 'closing connection: frame over the payload limit');
        metrics.socketsRejected.inc({ reason: CloseCodes.PayloadTooLarge.reason });
        return;
      }
      log.warn({ err: error }, 'websocket error');
    });
  }

  /** Stops reading frames and closes every socket with `reason` (e.g. reconnect elsewhere on shutdown). */
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

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function toHeaders(raw: IncomingMessage['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
