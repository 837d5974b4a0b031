import { useEffect, useId, useRef, useState, useSyncExternalStore, type CSSProperties } from 'react';
import { Bell } from 'lucide-react';
import type { NotificationItem } from '@copycloud/protocol';
import { documentPath } from '../routes/route.js';
import { navigate } from '../routes/history.js';
import type { NotificationFeed } from './notification-feed.js';
import { openThreadLink } from './thread-link.js';
import './notifications.css';

/** The bell's accessible name: the count is in it, so a screen reader hears it with the button. */
export function bellLabel(unread: number): string {
  return unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;
}

export function notificationWhat(kind: NotificationItem['kind']): string {
  switch (kind) {
    case 'mention':
      return 'mentioned you';
    case 'reply':
      return 'replied to your comment';
    case 'suggestion':
      return 'suggested a change to your text';
  }
}

/**
 * The header's bell: the unread count live (the feed's stream), and a
 * popover listing notifications newest first. A disclosure like the header
 * menu (a button and a panel of buttons, not an ARIA menu); Esc and a click
 * elsewhere close it. Choosing one marks it read and opens its document at the
 * thread.
 */
export function NotificationBell({ feed }: { feed: NotificationFeed }) {
  const snapshot = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Where the bell ends on screen: on phones the list spans the window just below it. */
  const [bellBottom, setBellBottom] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const titleId = useId();

  useEffect(() => {
    if (!open) return;
    setError(null);
    feed.refresh().catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, feed]);

  const choose = (item: NotificationItem) => {
    setOpen(false);
    void feed.markRead([item.id]).catch((caught: unknown) => console.warn('could not mark the notification read', caught));
    // A suggestion's id is not a thread: open the document.
    if (item.kind === 'suggestion') navigate(documentPath(item.documentId));
    else openThreadLink(item.documentId, item.threadId);
  };

  const { unread, items } = snapshot;
  return (
    <div
      className="notifications"
      ref={root}
      data-open={open}
      onKeyDown={(event) => {
        // Esc from the bell or anywhere in the list closes it and gives the bell the focus back.
        if (event.key !== 'Escape' || !open) return;
        event.stopPropagation();
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="notifications__bell"
        data-testid="notification-bell"
        data-unread={unread}
        data-connection={snapshot.connection}
        aria-label={bellLabel(unread)}
        aria-expanded={open}
        aria-controls={panelId}
        title="Notifications"
        onClick={() => {
          setBellBottom(toggle.current?.getBoundingClientRect().bottom ?? 0);
          setOpen((value) => !value);
        }}
      >
        <Bell size={18} aria-hidden="true" />
        {unread > 0 && (
          <span className="notifications__badge" data-testid="notification-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {/* Heard once when the count changes, wherever the focus is. */}
      <span className="visually-hidden" aria-live="polite">
        {unread === 0 ? '' : unread === 1 ? '1 unread notification' : `${unread} unread notifications`}
      </span>
      {open && (
        <section
          id={panelId}
          className="notifications__panel"
          data-testid="notification-panel"
          aria-labelledby={titleId}
          style={{ '--notifications-top': `${Math.round(bellBottom) + 6}px` } as CSSProperties}
        >
          <header className="notifications__header">
            <h2 id={titleId} className="notifications__title">
              Notifications
            </h2>
            {unread > 0 && (
              <button type="button" className="link-button" data-testid="notification-mark-all" onClick={() => void feed.markAllRead().catch((caught: unknown) => setError(String(caught)))}>
                Mark all read
              </button>
            )}
          </header>
          {error && (
            <p className="notifications__error" role="alert">
              {error}
            </p>
          )}
          {items === null ? (
            <p className="notifications__empty">Loading…</p>
          ) : items.length === 0 ? (
            <p className="notifications__empty">Nothing yet. You hear here when someone mentions you or replies to your comments.</p>
          ) : (
            <ul className="notifications__list">
              {items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className="notifications__item"
                    data-testid="notification-item"
                    data-unread={item.readAt === null}
                    data-thread-id={item.threadId}
                    onClick={() => choose(item)}
                  >
                    <span className="notifications__line">
                      <strong>{item.actor.name || 'Someone'}</strong> {notificationWhat(item.kind)}
                      {item.readAt === null && (
                        <>
                          <span className="notifications__unread-dot" aria-hidden="true" />
                          <span className="visually-hidden"> (unread)</span>
                        </>
                      )}
                    </span>
                    <span className="notifications__excerpt">{item.excerpt}</span>
                    <span className="notifications__where">
                      <span className="notifications__doc">{item.documentTitle || 'Untitled document'}</span> ·{' '}
                      <time dateTime={item.createdAt}>{timeAgo(item.createdAt)}</time>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "2 minutes ago", "yesterday"; a date beyond a week. */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return relative.format(0, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 7) return relative.format(days, 'day');
  return new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
