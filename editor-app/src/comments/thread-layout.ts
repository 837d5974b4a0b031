import type { CommentThread } from '@copycloud/protocol';
import { isVisibleThread } from '@copycloud/schema/comments';

export interface PlacedThread {
  readonly thread: CommentThread;
  /** Where its text is in the editor now; null = its text was deleted (detached). */
  readonly range: { from: number; to: number } | null;
}

export interface ThreadLayout {
  /** Open threads in document order, then the detached ones (oldest first). */
  readonly open: readonly PlacedThread[];
  /** Resolved threads, most recently resolved first. */
  readonly resolved: readonly PlacedThread[];
}

/** Orders the visible threads the way the side panel lists them (like Google Docs: by their place in the text). */
export function layoutThreads(threads: readonly CommentThread[], locate: (thread: CommentThread) => { from: number; to: number } | null): ThreadLayout {
  const placed = threads.filter(isVisibleThread).map((thread) => ({ thread, range: locate(thread) }));
  const open = placed
    .filter((p) => !p.thread.resolved)
    .sort((a, b) => {
      if (a.range && b.range) return a.range.from - b.range.from || a.range.to - b.range.to || byCreated(a, b);
      if (a.range) return -1;
      if (b.range) return 1;
      return byCreated(a, b);
    });
  const resolved = placed.filter((p) => p.thread.resolved).sort((a, b) => (b.thread.resolvedAt ?? '').localeCompare(a.thread.resolvedAt ?? '') || byCreated(a, b));
  return { open, resolved };
}

function byCreated(a: PlacedThread, b: PlacedThread): number {
  return a.thread.createdAt.localeCompare(b.thread.createdAt) || a.thread.id.localeCompare(b.thread.id);
}
