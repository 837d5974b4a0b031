import { isTransactionOrigin } from '@hocuspocus/server';
import type { CopycloudOriginSource } from '@copycloud/protocol';

export type OriginKind = 'connection' | CopycloudOriginSource;

/**
 * Maps a Yjs transaction origin to what produced it. Hocuspocus tags client
 * updates `{source:'connection'}` and its own `{source:'local'|'redis'}`;
 * Copycloud code uses `@copycloud/protocol` origins (`restore`, `review`, `ai`).
 */
export function classifyOrigin(origin: unknown): OriginKind {
  if (isTransactionOrigin(origin)) return origin.source;
  if (typeof origin === 'object' && origin !== null && 'source' in origin) {
    const source = (origin as { source: unknown }).source;
    if (source === 'restore' || source === 'review' || source === 'ai' || source === 'redis' || source === 'local') return source;
  }
  // Anything untagged was produced in-process (e.g. a direct connection).
  return 'local';
}
