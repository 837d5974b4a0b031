import type { Connection, Document } from '@hocuspocus/server';

export interface HeldUpdate {
  /** A copy: the frame it came in is reused by the transport. */
  readonly update: Uint8Array;
  readonly connection: Connection;
  readonly since: number;
}

export type RetryOutcome = 'applied' | 'still-missing' | 'refused' | 'dropped';

/** Per document, bounds on what waits: a client that sends only unresolvable updates is closed, not buffered without end. */
export const MAX_HELD_PER_DOCUMENT = 1_000;
export const MAX_HELD_BYTES_PER_DOCUMENT = 8 * 1024 * 1024;

/**
 * Client updates that came before something they build on (an edit sent in
 * a reconnect race, before its sync step delivered what it refers to), held
 * outside the document until they can be validated whole. Yjs would hold
 * them as "pending" and integrate them later unchecked; here they are
 * checked again each time the document changes, and expire otherwise.
 */
export class HeldUpdates {
  private readonly byDocument = new Map<Document, HeldUpdate[]>();

  /** False when the document's bound is reached (the caller refuses the update instead). */
  hold(document: Document, update: Uint8Array, connection: Connection, now: number): boolean {
    let list = this.byDocument.get(document);
    if (!list) this.byDocument.set(document, (list = []));
    const bytes = list.reduce((sum, held) => sum + held.update.byteLength, 0);
    if (list.length >= MAX_HELD_PER_DOCUMENT || bytes + update.byteLength > MAX_HELD_BYTES_PER_DOCUMENT) return false;
    list.push({ update: update.slice(), connection, since: now });
    return true;
  }

  has(document: Document): boolean {
    return (this.byDocument.get(document)?.length ?? 0) > 0;
  }

  /**
   * Offers every held update of `document` to `attempt`, in arrival order,
   * again after any progress (one applied update can resolve the next).
   */
  retry(document: Document, attempt: (held: HeldUpdate) => RetryOutcome): void {
    let progress = true;
    while (progress) {
      progress = false;
      const list = this.byDocument.get(document);
      if (!list || list.length === 0) break;
      const waiting: HeldUpdate[] = [];
      for (const held of list) {
        const outcome = attempt(held);
        if (outcome === 'still-missing') waiting.push(held);
        else progress = true;
      }
      this.set(document, waiting);
    }
  }

  /** Removes and returns what has waited longer than `maxAgeMs`. */
  expire(now: number, maxAgeMs: number): HeldUpdate[] {
    const expired: HeldUpdate[] = [];
    for (const [document, list] of this.byDocument) {
      const keep = list.filter((held) => now - held.since <= maxAgeMs);
      expired.push(...list.filter((held) => now - held.since > maxAgeMs));
      this.set(document, keep);
    }
    return expired;
  }

  forget(document: Document): void {
    this.byDocument.delete(document);
  }

  private set(document: Document, list: HeldUpdate[]): void {
    if (list.length === 0) this.byDocument.delete(document);
    else this.byDocument.set(document, list);
  }
}
