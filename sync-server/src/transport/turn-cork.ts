import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Makes every frame a socket sends during one event-loop turn leave in one
 * write syscall. `ws` corks the TCP socket around each frame only, so a turn
 * that broadcasts a burst of updates (a reconnecting client's backlog, a
 * paste, a peer's batch over Redis) cost one `writev` per frame: the largest
 * item in the sync node's profile. The first send of a turn corks the socket;
 * a `setImmediate` uncorks it once the turn's promise callbacks (where
 * Hocuspocus sends) have run, so nothing waits longer than the rest of the
 * turn. Node counts corks, so ws' own cork/uncork nest inside ours.
 */
export function corkPerTurn(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
  if (!socket) return;
  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  ws.send = ((...args: unknown[]) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    send(...args);
  }) as WebSocket['send'];
}
