import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { decodeMarkers, encodeMarker, type Marker } from './markers.js';

export interface EditorEvents {
  /** A marker written by another editor arrived in this replica. */
  onRemoteMarker(reader: number, marker: Marker, receivedAtMs: number): void;
  /** The connection failed or closed abnormally. */
  onError(editor: number, kind: string, detail: string): void;
}

const TEXT_NAME = 'loadtest';
const NORMAL_CLOSE = 1000;

/** One simulated editor: a real Y.Doc and a real HocuspocusProvider on its own socket. */
export class SimulatedEditor {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(TEXT_NAME);
  readonly provider: HocuspocusProvider;
  private seq = 0;
  private stopping = false;

  constructor(
    readonly id: number,
    readonly documentName: string,
    syncUrl: string,
    token: string,
    events: EditorEvents,
  ) {
    const separator = syncUrl.includes('?') ? '&' : '?';
    this.text.observe((event, transaction) => {
      if (transaction.local) return;
      const receivedAtMs = performance.now();
      for (const op of event.delta) {
        if (typeof op.insert !== 'string') continue;
        for (const marker of decodeMarkers(op.insert)) {
          if (marker.writer !== this.id) events.onRemoteMarker(this.id, marker, receivedAtMs);
        }
      }
    });
    this.provider = new HocuspocusProvider({
      url: `${syncUrl}${separator}doc=${encodeURIComponent(documentName)}`,
      name: documentName,
      document: this.doc,
      token,
      onAuthenticationFailed: ({ reason }) => events.onError(this.id, 'authentication_failed', reason),
      onClose: ({ event }) => {
        if (!this.stopping && event.code !== NORMAL_CLOSE) events.onError(this.id, `close_${event.code}`, event.reason);
      },
    });
  }

  get synced(): boolean {
    return this.provider.isSynced;
  }

  /** Types one marker at the end of the text; returns it for bookkeeping. */
  edit(): Marker {
    const marker: Marker = { writer: this.id, seq: this.seq++, sentAtMs: performance.now() };
    this.text.insert(this.text.length, encodeMarker(marker));
    return marker;
  }

  destroy(): void {
    this.stopping = true;
    this.provider.destroy();
    this.doc.destroy();
  }
}
