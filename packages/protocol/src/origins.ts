/**
 * Typed origins for Yjs transactions applied by Copycloud code (not by a
 * client connection, which Hocuspocus tags itself). Extensions switch on
 * `source` exhaustively: e.g. never re-store or re-publish what came from Redis.
 */
export type CopycloudOriginSource = 'redis' | 'restore' | 'ai' | 'local';

export interface CopycloudOrigin {
  readonly source: CopycloudOriginSource;
  /** Hocuspocus skips its store hooks for these; we persist through the update log instead. */
  readonly skipStoreHooks?: boolean;
}

export const RedisOrigin: CopycloudOrigin = Object.freeze({ source: 'redis' });

/** A version restore, applied as a forward change by the snapshots sidecar or a node on its behalf. */
export const RestoreOrigin: CopycloudOrigin = Object.freeze({ source: 'restore' });
