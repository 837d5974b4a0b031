/**
 * Typed origins for Yjs transactions applied by Copycloud code (not by a
 * client connection, which Hocuspocus tags itself). Extensions switch on
 * `source` exhaustively: e.g. never re-store or re-publish what came from Redis.
 */
export type CopycloudOriginSource = 'redis' | 'restore' | 'review' | 'ai' | 'local';

export interface CopycloudOrigin {
  readonly source: CopycloudOriginSource;
  /** Hocuspocus skips its store hooks for these; we persist through the update log instead. */
  readonly skipStoreHooks?: boolean;
}

export const RedisOrigin: CopycloudOrigin = Object.freeze({ source: 'redis' });

/** A version restore, applied as a forward change by the snapshots sidecar or a node on its behalf. */
export const RestoreOrigin: CopycloudOrigin = Object.freeze({ source: 'restore' });

/**
 * A comment change (create, reply, edit, delete, resolve) made by the review
 * service as a server transaction: the only origin besides `restore` that may
 * write the server-only roots (`comments`), which client sockets may not.
 */
export const ReviewOrigin: CopycloudOrigin = Object.freeze({ source: 'review' });

/** Sources of server-made changes that travel between processes as external updates. */
export type ExternalUpdateSource = 'restore' | 'review';

export function originOfExternalSource(source: ExternalUpdateSource): CopycloudOrigin {
  switch (source) {
    case 'restore':
      return RestoreOrigin;
    case 'review':
      return ReviewOrigin;
    default: {
      const unreachable: never = source;
      throw new Error(`unknown external update source ${String(unreachable)}`);
    }
  }
}
