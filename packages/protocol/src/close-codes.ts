/**
 * WebSocket close codes used by Copycloud sync nodes. 4xxx, modelled on HTTP
 * status codes so a reader of a client log can guess the meaning. Hocuspocus'
 * own codes (4401 Unauthorized, 4403 Forbidden, 4408 Timeout, 4205 Reset) keep
 * their meaning; ours fill the gaps.
 */
export interface CloseReason {
  readonly code: number;
  readonly reason: string;
}

export const CloseCodes = {
  /** The frame could not be decoded as a protocol message. */
  BadMessage: { code: 4400, reason: 'Malformed message' },
  Unauthorized: { code: 4401, reason: 'Unauthorized' },
  Forbidden: { code: 4403, reason: 'Forbidden' },
  /** The document id in the URL or message is not acceptable. */
  BadDocumentName: { code: 4404, reason: 'Invalid document name' },
  Timeout: { code: 4408, reason: 'Connection timeout' },
  /**
   * The frame is over `maxPayloadBytes`. The WebSocket layer closes these
   * itself, before the frame is buffered whole, with the standard 1009.
   */
  PayloadTooLarge: { code: 1009, reason: 'Message too large' },
  /** A read-only connection tried to change the document. */
  ReadOnly: { code: 4423, reason: 'Read-only connection' },
  /** The update could not be applied to the document (corrupt or truncated). */
  BadUpdate: { code: 4422, reason: 'Update could not be applied' },
  TooManyDocuments: { code: 4429, reason: 'Too many documents on one connection' },
  /** The node is draining for shutdown: the client should reconnect (to another node). */
  ReconnectElsewhere: { code: 4503, reason: 'Node shutting down, reconnect' },
  /** The node could not load the document (storage failure). */
  DocumentUnavailable: { code: 4500, reason: 'Document could not be loaded' },
} as const satisfies Record<string, CloseReason>;

export type CloseCodeName = keyof typeof CloseCodes;
