import type * as Y from 'yjs';
import type { CommentThread } from '@copycloud/protocol';
import { commentsMap, readThreads } from '@copycloud/schema/comments';

/**
 * The document's comment threads as an external store for React
 * (useSyncExternalStore): re-read whenever the `comments` root changes —
 * by the server's transactions, arriving like any remote update.
 */
export class CommentThreadStore {
  private snapshot: readonly CommentThread[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: Y.Doc) {
    this.snapshot = readThreads(doc);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) commentsMap(this.doc).observeDeep(this.changed);
    this.listeners.add(listener);
    // Anything that changed before the first subscriber is picked up now.
    this.changed();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) commentsMap(this.doc).unobserveDeep(this.changed);
    };
  };

  readonly getSnapshot = (): readonly CommentThread[] => this.snapshot;

  private readonly changed = (): void => {
    const next = readThreads(this.doc);
    if (JSON.stringify(next) === JSON.stringify(this.snapshot)) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  };
}
