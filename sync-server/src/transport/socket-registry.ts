import type { WebSocket } from 'ws';
import type { CloseReason } from '@copycloud/protocol';

/**
 * The sockets of one transport, by document, with the two reasons a node
 * stops reading them: backpressure (a document's update-log backlog is over
 * its bound: its sockets are paused, the browsers keep the edits and show
 * them pending) and draining (shutdown: frames that still arrive after the
 * close are dropped, unacknowledged, so the client resends them elsewhere).
 */
export class SocketRegistry {
  private readonly documentsOf = new Map<WebSocket, Set<string>>();
  private readonly socketsOf = new Map<string, Set<WebSocket>>();
  private readonly overloaded = new Set<string>();
  private draining = false;

  get size(): number {
    return this.documentsOf.size;
  }

  add(ws: WebSocket): void {
    this.documentsOf.set(ws, new Set());
  }

  /** Records that `ws` addresses `documentName` (paused at once if that document is overloaded). */
  bind(ws: WebSocket, documentName: string): void {
    const documents = this.documentsOf.get(ws);
    if (!documents || documents.has(documentName)) return;
    documents.add(documentName);
    let sockets = this.socketsOf.get(documentName);
    if (!sockets) this.socketsOf.set(documentName, (sockets = new Set()));
    sockets.add(ws);
    if (this.overloaded.has(documentName)) ws.pause();
  }

  isBound(ws: WebSocket, documentName: string): boolean {
    return this.documentsOf.get(ws)?.has(documentName) ?? false;
  }

  documentCount(ws: WebSocket): number {
    return this.documentsOf.get(ws)?.size ?? 0;
  }

  remove(ws: WebSocket): void {
    for (const documentName of this.documentsOf.get(ws) ?? []) {
      const sockets = this.socketsOf.get(documentName);
      sockets?.delete(ws);
      if (sockets?.size === 0) this.socketsOf.delete(documentName);
    }
    this.documentsOf.delete(ws);
  }

  /** False once draining began: the frame must be dropped. */
  get accepting(): boolean {
    return !this.draining;
  }

  setOverloaded(documentName: string, overloaded: boolean): void {
    if (overloaded) this.overloaded.add(documentName);
    else this.overloaded.delete(documentName);
    for (const ws of this.socketsOf.get(documentName) ?? []) {
      if (overloaded) ws.pause();
      else if (![...(this.documentsOf.get(ws) ?? [])].some((d) => this.overloaded.has(d))) ws.resume();
    }
  }

  /**
   * Stops reading every socket's frames and closes them with `reason`; a peer
   * that does not answer the close within `terminateAfterMs` (a dead network)
   * is cut, so its document unloads and shutdown is not held for ws' 30 s.
   */
  closeAll(reason: CloseReason, terminateAfterMs = 2_000): void {
    this.draining = true;
    const closing = [...this.documentsOf.keys()];
    for (const ws of closing) {
      ws.resume(); // a paused socket would never read the client's close frame
      ws.close(reason.code, reason.reason);
    }
    if (closing.length === 0) return;
    setTimeout(() => {
      for (const ws of closing) if (ws.readyState !== ws.CLOSED) ws.terminate();
    }, terminateAfterMs).unref();
  }
}
