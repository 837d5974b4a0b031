import type { DocumentRoleLookup } from '@copycloud/auth-client';
import { mentionsAsText, NOTIFICATION_LIMITS, parseMentions, type NotificationKind, type ReviewEvent } from '@copycloud/protocol';
import type { ReviewEventSink } from '../events.js';
import type { NotificationSignals } from './signals.js';
import type { NewNotification, NotificationStore } from './store.js';

/** The event's idempotency key: the same event recorded twice is one notification per recipient. */
export function reviewEventKey(event: ReviewEvent): string {
  if (event.type === 'suggestion-created') return `${event.type}:${event.documentId}:${event.suggestionId}:`;
  const reply = 'replyId' in event ? event.replyId : '';
  return `${event.type}:${event.documentId}:${event.threadId}:${reply}`;
}

/** A suggestion as one line: `replace “old” with “new”`, `delete “old”` or `insert “new”`. */
export function suggestionExcerpt(quote: string, text: string): string {
  const q = (value: string) => `“${value.replace(/\s+/g, ' ').trim()}”`;
  if (quote === '') return `insert ${q(text)}`;
  if (text === '') return `delete ${q(quote)}`;
  return `replace ${q(quote)} with ${q(text)}`;
}

/** A comment as one line: mentions as `@Name`, whitespace collapsed, cut at `maxExcerptChars`. */
export function excerptOf(body: string): string {
  const text = mentionsAsText(body).replace(/\s+/g, ' ').trim();
  const max = NOTIFICATION_LIMITS.maxExcerptChars;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Who hears about an event, and why: everyone @mentioned in a new comment
 * (`mention`), the thread's author when someone replies (`reply`), the
 * authors of the text a suggestion touches (`suggestion`). Never the actor.
 * One entry per recipient; a mention wins over a reply.
 */
export function recipientsOf(event: ReviewEvent): Map<string, NotificationKind> {
  const recipients = new Map<string, NotificationKind>();
  if (event.type === 'suggestion-created') {
    for (const userId of event.textAuthorIds) recipients.set(userId, 'suggestion');
    recipients.delete(event.actor.userId);
    return recipients;
  }
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
  /** Wakes the recipients' open notification streams (the bell's count follows at once). */
  signals?: NotificationSignals;
}): ReviewEventSink {
  return async (event) => {
    if (event.type !== 'thread-created' && event.type !== 'reply-added' && event.type !== 'suggestion-created') return;
    const eventKey = reviewEventKey(event);
    const suggestion = event.type === 'suggestion-created';
    const excerpt = excerptOf(suggestion ? suggestionExcerpt(event.quote, event.text) : event.body);
    const notifications: NewNotification[] = [];
    for (const [recipientId, kind] of recipientsOf(event)) {
      // A mention of someone who is not (or no longer) a member notifies nobody.
      if ((await deps.roles.roleOf(event.documentId, recipientId)) === null) continue;
      notifications.push({
        recipientId,
        eventKey,
        kind,
        documentId: event.documentId,
        // A suggestion's notification points at the suggestion (the id its marks carry).
        threadId: suggestion ? event.suggestionId : event.threadId,
        replyId: suggestion ? null : event.replyId,
        actor: event.actor,
        excerpt,
        createdAt: event.at,
        email: deps.email,
      });
    }
    if ((await deps.store.record(notifications)) > 0) deps.signals?.publish(notifications.map((n) => n.recipientId));
    if ((await deps.store.webhookOf(event.documentId)) !== null) {
      const where = deps.appUrl ? ` <${deps.appUrl.replace(/\/$/, '')}/d/${event.documentId}|open the document>` : '';
      const what = event.type === 'thread-created' ? 'commented: ' : event.type === 'reply-added' ? 'replied: ' : 'suggested to ';
      // A suggestion's excerpt quotes its own words ('replace “a” with “b”').
      const said = suggestion ? slackEscape(excerpt) : `“${slackEscape(excerpt)}”`;
      const text = `${slackEscape(event.actor.name)} ${what}${said}${where}`;
      await deps.store.queueWebhookPost(event.documentId, eventKey, text, event.at);
    }
  };
}

/** Slack's three control characters in user text (`&`, `<`, `>`), so a comment cannot forge links or mentions. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
