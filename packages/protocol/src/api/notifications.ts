/**
 * Notifications (services/review ⇄ editor-app): who hears about a comment,
 * and the one wire form of an @mention inside a comment body.
 */

/**
 * An @mention inside a comment or reply body: `@[Display name](userId)`, as
 * the editor inserts it when a member is picked from the @ menu. The name is
 * what readers see; the id is what is notified. The server checks every
 * mentioned id is a member of the document (400 otherwise).
 */
export const MENTION_PATTERN = /@\[([^\]\n]{1,100})\]\(([A-Za-z0-9_-]{1,64})\)/g;

export interface Mention {
  readonly name: string;
  readonly userId: string;
}

/** Every distinct mention in a body, in order of first appearance. */
export function parseMentions(body: string): Mention[] {
  const seen = new Set<string>();
  const mentions: Mention[] = [];
  for (const match of body.matchAll(MENTION_PATTERN)) {
    const userId = match[2]!;
    if (seen.has(userId)) continue;
    seen.add(userId);
    mentions.push({ name: match[1]!, userId });
  }
  return mentions;
}

/** The wire form of one mention (what the editor inserts). */
export function formatMention(mention: Mention): string {
  return `@[${mention.name.replace(/[\]\n]/g, ' ').slice(0, 100)}](${mention.userId})`;
}

/** A body with every mention shown as `@Name` (emails, webhooks, excerpts). */
export function mentionsAsText(body: string): string {
  return body.replace(MENTION_PATTERN, (_all, name: string) => `@${name}`);
}

export const NOTIFICATION_LIMITS = Object.freeze({
  /** Distinct people mentioned in one comment. */
  maxMentionsPerComment: 20,
  /** Notifications one `GET /api/notifications` returns (newest first). */
  maxListed: 100,
  /** Ids in one `POST /api/notifications/read`. */
  maxReadIds: 500,
  /** A webhook URL, in characters. */
  maxWebhookUrlChars: 2_048,
  /** The excerpt of the comment kept with a notification, in characters. */
  maxExcerptChars: 280,
  /** A request body, in bytes. */
  maxRequestBytes: 16 * 1024,
});

/**
 * Why someone is notified: they were @mentioned, someone replied in a thread
 * they opened, or someone suggested a change to their text (through the API). One
 * notification per recipient per event: a mention in a reply to your own
 * thread is a `mention`.
 */
export const NOTIFICATION_KINDS = ['mention', 'reply', 'suggestion'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `GET /api/notifications`: one entry, linking to the thread. */
export interface NotificationItem {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly documentId: string;
  /** The document's title when listed (empty when it has none), for the bell's list. */
  readonly documentTitle: string;
  /** The thread; for `suggestion`, the suggestion's id (the one its marks in the text carry). */
  readonly threadId: string;
  readonly replyId: string | null;
  readonly actor: { readonly userId: string; readonly name: string };
  /** The comment's text, mentions shown as `@Name`, cut at `maxExcerptChars`; for `suggestion`, `replace “old” with “new”` (or `delete …`, `insert …`). */
  readonly excerpt: string;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface ListNotificationsResponse {
  readonly notifications: readonly NotificationItem[];
  readonly unread: number;
}

/** `POST /api/notifications/read`: these ids, or every notification of the caller. */
export type MarkNotificationsReadRequest = { readonly ids: readonly string[] } | { readonly all: true };

/** `PUT /api/docs/:id/webhook` (owner): a Slack-compatible incoming-webhook URL, or null to remove it. */
export interface DocumentWebhookRequest {
  readonly url: string | null;
}
