import type { DocumentRoleLookup } from '@copycloud/auth-client';
import { mentionsAsText, NOTIFICATION_LIMITS, parseMentions, type NotificationKind, type ReviewEvent } from '@copycloud/protocol';
import type { ReviewEventSink } from '../events.js';
import type { NewNotification, NotificationStore } from './store.js';

/** The event's idempotency key: the same event recorded twice is one notification per recipient. */
export function reviewEventKey(event: ReviewEvent): string {
  const reply = 'replyId' in event ? event.replyId : '';
  return `${event.type}:${event.documentId}:${event.threadId}:${reply}`;
}

/** A comment as one line: mentions as `@Name`, whitespace collapsed, cut at `maxExcerptChars`. */
export function excerptOf(body: string): string {
  const text = mentionsAsText(body).replace(/\s+/g, ' ').trim();
  const max = NOTIFICATION_LIMITS.maxExcerptChars;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Who hears about an event, and why: everyone @mentioned in a new comment
 * (`mention`), and the thread's author when someone replies (`reply`). Never
 * the actor. One entry per recipient; a mention wins over a reply.
 */
export function recipientsOf(event: ReviewEvent): Map<string, NotificationKind> {
  const recipients = new Map<string, NotificationKind>();
  if (event.type !== 'thread-created' && event.type !== 'reply-added') return recipients;
  for (const mention of parseMentions(event.body)) recipients.set(mention.userId, 'mention');
  if (event.type === 'reply-added' && !recipients.has(event.threadAuthorId)) recipients.set(event.threadAuthorId, 'reply');
  recipients.delete(event.actor.userId);
  return recipients;
}

/**
 * The `ReviewEventSink` of notifications: records one row per recipient who
 * is a member of the document now (in-app at once; email rows wait for the
 * recipient's digest), and queues one post for the document's webhook. All in
 * Postgres, idempotent per recipient and event, so a repeated event or a
 * restart never duplicates and the delivery loop picks up what is pending.
 */
export function createNotificationSink(deps: {
  store: NotificationStore;
  roles: DocumentRoleLookup;
  /** Email digests are sent (SMTP configured): rows start `pending`, else `none`. */
  email: boolean;
  /** Where links in webhook posts point (`<appUrl>/d/<id>`), if known. */
  appUrl?: string;
}): ReviewEventSink {
  return async (event) => {
    if (event.type !== 'thread-created' && event.type !== 'reply-added') return;
    const eventKey = reviewEventKey(event);
    const excerpt = excerptOf(event.body);
    const notifications: NewNotification[] = [];
    for (const [recipientId, kind] of recipientsOf(event)) {
      // A mention of someone who is not (or no longer) a member notifies nobody.
      if ((await deps.roles.roleOf(event.documentId, recipientId)) === null) continue;
      notifications.push({
        recipientId,
        eventKey,
        kind,
        documentId: event.documentId,
        threadId: event.threadId,
        replyId: event.replyId,
        actor: event.actor,
        excerpt,
        createdAt: event.at,
        email: deps.email,
      });
    }
    await deps.store.record(notifications);
    if ((await deps.store.webhookOf(event.documentId)) !== null) {
      const where = deps.appUrl ? ` <${deps.appUrl.replace(/\/$/, '')}/d/${event.documentId}|open the document>` : '';
      const what = event.type === 'thread-created' ? 'commented' : 'replied';
      const text = `${slackEscape(event.actor.name)} ${what}: “${slackEscape(excerpt)}”${where}`;
      await deps.store.queueWebhookPost(event.documentId, eventKey, text, event.at);
    }
  };
}

/** Slack's three control characters in user text (`&`, `<`, `>`), so a comment cannot forge links or mentions. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
