/**
 * Where the sync connection's token comes from. Until accounts exist, nodes
 * run with AUTH_DISABLED=true and accept any token, so every tab is 'guest'.
 * The auth issue replaces this module with one that fetches a document token
 * (`POST /api/docs/:id/token`); the provider calls it on every (re)connect,
 * so a refreshed token is picked up without reopening the document.
 */
export type SyncTokenSource = (documentId: string) => Promise<string>;

export const GUEST_TOKEN = 'guest';

export const guestSyncToken: SyncTokenSource = async () => GUEST_TOKEN;
