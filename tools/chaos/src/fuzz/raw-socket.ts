/**
 * A hostile client speaking the Hocuspocus protocol by hand: auth (any token
 * passes with AUTH_DISABLED), then one update frame. Reports how the node
 * answered: closed the socket (with which code), applied it (the node sent
 * SyncStatus for it, and did not close within a grace period), or nothing
 * within the timeout.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
const MESSAGE_SYNC_STATUS = 8;
const SYNC_UPDATE = 2;

export type AttackOutcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'applied' }
  | { kind: 'timeout' }
  | { kind: 'refused'; error: string };

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const authFrame = (documentName: string): Uint8Array =>
  frame((e) => {
    encoding.writeVarString(e, documentName);
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, 0); // token
    encoding.writeVarString(e, 'chaos');
  });

export const updateFrame = (documentName: string, update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarString(e, documentName);
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

function isSyncStatus(data: Buffer): boolean {
  try {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    decoding.readVarString(decoder);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC_STATUS;
  } catch {
    return false;
  }
}

export function sendHostileUpdate(
  syncUrl: string,
  documentName: string,
  update: Uint8Array,
  options: { timeoutMs?: number; graceMs?: number } = {},
): Promise<AttackOutcome> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const graceMs = options.graceMs ?? 60;
  return new Promise((resolve) => {
    const ws = new WebSocket(`${syncUrl}?doc=${encodeURIComponent(documentName)}`);
    let settled = false;
    const finish = (outcome: AttackOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    ws.on('open', () => {
      ws.send(authFrame(documentName));
      ws.send(updateFrame(documentName, update));
    });
    ws.on('message', (data: Buffer) => {
      // SyncStatus answers our update (the auth reply and the node's SyncStep1 come first).
      if (isSyncStatus(data)) setTimeout(() => finish({ kind: 'applied' }), graceMs);
    });
    ws.on('close', (code, reason) => finish({ kind: 'closed', code, reason: reason.toString() }));
    ws.on('error', (error) => {
      if (ws.readyState !== WebSocket.OPEN) finish({ kind: 'refused', error: error.message });
    });
  });
}
