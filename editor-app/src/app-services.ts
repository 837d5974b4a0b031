import type { UserIdentity } from './identity/guest-identity.js';
import type { DocumentSummaryCache } from './documents/document-cache.js';
import type { AuthSession } from './session/auth-session.js';
import type { SyncTokenSource } from './session/sync-token.js';
import type { KeyValueStorage } from './sync/durability-record.js';
import type { NotificationFeed } from './notifications/notification-feed.js';

/**
 * Everything the app needs from the outside world, built once in main.tsx and
 * passed down explicitly, so no module reaches for a global on import.
 */
export interface AppServices {
  readonly user: UserIdentity;
  /** The signed-in user (a guest until they sign up); optional so tests can omit it. */
  readonly session?: AuthSession;
  readonly syncToken: SyncTokenSource;
  /** ws(s)://host of the sync endpoint. */
  readonly syncOrigin: string;
  /** Per-origin storage for durability records (localStorage). */
  readonly durableStorage: KeyValueStorage;
  /** The last known name and role of each document (for reloads while offline); none = no cache. */
  readonly documentCache?: DocumentSummaryCache;
  /** The signed-in person's notifications (the header bell); none = no bell. */
  readonly notifications?: NotificationFeed;
}
