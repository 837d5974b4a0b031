import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MessageType } from '@hocuspocus/server';
import { messageYjsSyncStep1 as SYNC_STEP_1, messageYjsSyncStep2 as SYNC_STEP_2, messageYjsUpdate as SYNC_UPDATE } from 'y-protocols/sync';
import { CloseCodes, isValidDocumentId, type CloseReason } from '@copycloud/protocol';


export type FrameVerdict =
  | { ok: true; documentName: string; type: number; carriesUpdate: boolean }
  | { ok: false; close: CloseReason; detail: string; documentName?: string };

/**
 * Decodes a client frame's framing before Hocuspocus sees it, so that a
 * malformed, truncated or unknown message closes that one socket with a clear
 * code instead of being half-applied or logged and ignored. The update inside
 * a sync message is checked later, against the document it targets, by the
 * update-validation extension (which decodes it completely before applying:
 * Yjs applies an update's structs before reading its delete set, so a
 * truncated update must be caught by decoding, not by applying).
 */
export function inspectFrame(frame: Uint8Array): FrameVerdict {
  const decoder = decoding.createDecoder(frame);
  let documentName: string | undefined;
  try {
    const address = decoding.readVarString(decoder);
    // Session-aware providers address `documentName\0sessionId`.
    const separator = address.indexOf('\0');
    documentName = separator === -1 ? address : address.slice(0, separator);
    if (!isValidDocumentId(documentName)) {
      return {
        ok: false,
        close: CloseCodes.BadDocumentName,
        detail: `document name of ${documentName.length} characters is not a valid id`,
      };
    }
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
      case MessageType.SyncReply: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SYNC_STEP_1) {
          Y.decodeStateVector(payload);
          return { ok: true, documentName, type, carriesUpdate: false };
        }
        if (step === SYNC_STEP_2 || step === SYNC_UPDATE) {
          if (payload.byteLength < 2) throw new Error(`update of ${payload.byteLength} bytes`);
          return { ok: true, documentName, type, carriesUpdate: true };
        }
        return { ok: false, close: CloseCodes.BadMessage, detail: `unknown sync step ${step}`, documentName };
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder);
        assertAwarenessUpdate(update);
        return { ok: true, documentName, type, carriesUpdate: false };
      }
      case MessageType.Auth:
        decoding.readVarUint(decoder);
        decoding.readVarString(decoder);
        return { ok: true, documentName, type, carriesUpdate: false };
      case MessageType.Stateless:
        decoding.readVarString(decoder);
        return { ok: true, documentName, type, carriesUpdate: false };
      case MessageType.QueryAwareness:
      case MessageType.CLOSE:
      case MessageType.Ping:
      case MessageType.Pong:
        return { ok: true, documentName, type, carriesUpdate: false };
      case MessageType.BroadcastStateless:
      case MessageType.SyncStatus:
        return { ok: false, close: CloseCodes.BadMessage, detail: `message type ${type} is server-only`, documentName };
      default:
        return { ok: false, close: CloseCodes.BadMessage, detail: `unknown message type ${type}`, documentName };
    }
  } catch (error) {
    return {
      ok: false,
      close: documentName === undefined ? CloseCodes.BadMessage : CloseCodes.BadUpdate,
      detail: `frame does not decode: ${(error as Error).message}`,
      ...(documentName === undefined ? {} : { documentName }),
    };
  }
}

/** y-protocols awareness encoding: count, then (clientID, clock, JSON state) per entry. */
function assertAwarenessUpdate(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    JSON.parse(decoding.readVarString(decoder));
  }
}
