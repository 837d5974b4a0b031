import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CommentAnchor, CommentReply, CommentThread } from '@copycloud/protocol';
import { COMMENT_LIMITS } from '@copycloud/protocol';
import type { CommentPermissions } from './comment-permissions.js';
import type { CommentsApi } from './comments-api.js';
import type { PlacedThread, ThreadLayout } from './thread-layout.js';
import { bodySegments, toDisplayBody, toWireBody, type MentionCandidate } from './mention-picker.js';
import { EMPTY_DRAFT, MentionTextField, type MentionDraft } from './MentionTextField.js';

/** The members a comment may @mention (loaded on the first `@`). */
type Candidates = () => Promise<readonly MentionCandidate[]>;

/** A thread being written: the selection it will be anchored to. */
export interface Draft {
  readonly anchor: CommentAnchor;
  readonly quote: string;
}

interface PanelProps {
  layout: ThreadLayout;
  permissions: CommentPermissions;
  api: CommentsApi;
  activeId: string | null;
  onActivate(threadId: string): void;
  draft: Draft | null;
  onDraftDone(threadId: string | null): void;
  candidates: Candidates;
}

/** The side panel: a new comment being written, open threads in text order, detached ones, then resolved ones. */
export function CommentsPanel({ layout, permissions, api, activeId, onActivate, draft, onDraftDone, candidates }: PanelProps) {
  const [showResolved, setShowResolved] = useState(false);
  // A resolved thread selected from elsewhere (a notification) is shown, not left folded away.
  const activeIsResolved = activeId !== null && layout.resolved.some((p) => p.thread.id === activeId);
  useEffect(() => {
    if (activeIsResolved) setShowResolved(true);
  }, [activeIsResolved]);
  return (
    <aside className="comments-panel" data-testid="comments-panel" aria-label="Comments">
      <h2 className="comments-panel__title">
        Comments <span data-testid="comments-open-count">{layout.open.length}</span>
      </h2>
      {draft && <DraftCard draft={draft} api={api} onDone={onDraftDone} candidates={candidates} />}
      {layout.open.length === 0 && !draft && (
        <p className="comments-panel__empty">{permissions.canComment ? 'Select text and press Comment (Ctrl+Alt+M).' : 'No comments yet.'}</p>
      )}
      {layout.open.map((placed) => (
        <ThreadCard key={placed.thread.id} placed={placed} permissions={permissions} api={api} active={placed.thread.id === activeId} onActivate={onActivate} candidates={candidates} />
      ))}
      {layout.resolved.length > 0 && (
        <section className="comments-panel__resolved">
          <button type="button" className="comments-panel__toggle" data-testid="comments-show-resolved" aria-expanded={showResolved} onClick={() => setShowResolved((v) => !v)}>
            {showResolved ? 'Hide' : 'Show'} resolved ({layout.resolved.length})
          </button>
          {showResolved &&
            layout.resolved.map((placed) => (
              <ThreadCard key={placed.thread.id} placed={placed} permissions={permissions} api={api} active={placed.thread.id === activeId} onActivate={onActivate} candidates={candidates} />
            ))}
        </section>
      )}
    </aside>
  );
}

function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function DraftCard({ draft, api, onDone, candidates }: { draft: Draft; api: CommentsApi; onDone(threadId: string | null): void; candidates: Candidates }) {
  const [body, setBody] = useState<MentionDraft>(EMPTY_DRAFT);
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let threadId: string | null = null;
    if (await run(async () => (threadId = (await api.createThread(draft.anchor, toWireBody(body.text, body.picked))).id))) onDone(threadId);
  };
  return (
    <form className="comment-card comment-card--draft" data-testid="comment-draft" onSubmit={submit}>
      <blockquote className="comment-card__quote">{draft.quote}</blockquote>
      <MentionTextField
        multiline
        testId="comment-composer"
        label="New comment"
        placeholder="Comment… (@ to mention)"
        draft={body}
        onChange={setBody}
        candidates={candidates}
        maxLength={COMMENT_LIMITS.maxBodyChars}
        autoFocus
        onKeyDown={(event) => {
          if (event.key === 'Escape') onDone(null);
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
        }}
      />
      {error && <p className="comment-card__error" role="alert">{error}</p>}
      <div className="comment-card__actions">
        <button type="button" onClick={() => onDone(null)} disabled={busy}>
          Cancel
        </button>
        <button type="submit" data-testid="comment-submit" disabled={busy || body.text.trim() === ''}>
          Comment
        </button>
      </div>
    </form>
  );
}

function ThreadCard({
  placed,
  permissions,
  api,
  active,
  onActivate,
  candidates,
}: {
  placed: PlacedThread;
  permissions: CommentPermissions;
  api: CommentsApi;
  active: boolean;
  onActivate(threadId: string): void;
  candidates: Candidates;
}) {
  const { thread, range } = placed;
  const [reply, setReply] = useState<MentionDraft>(EMPTY_DRAFT);
  const { busy, error, run } = useAction();
  const detached = range === null;
  const card = useRef<HTMLElement>(null);
  // Selected (in the text, or from a notification): the panel scrolls to it.
  useEffect(() => {
    if (active) card.current?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  return (
    <article
      ref={card}
      className={`comment-card${active ? ' comment-card--active' : ''}${thread.resolved ? ' comment-card--resolved' : ''}`}
      data-testid="comment-thread"
      data-thread-id={thread.id}
      data-state={thread.resolved ? 'resolved' : 'open'}
      data-detached={detached ? 'true' : 'false'}
      data-active={active ? 'true' : 'false'}
      onClick={() => onActivate(thread.id)}
    >
      <header className="comment-card__header">
        <blockquote className="comment-card__quote" data-testid="comment-quote">
          {thread.quote}
        </blockquote>
        {detached && (
          <span className="comment-card__detached" data-testid="comment-detached" title="The commented text was deleted">
            Text deleted
          </span>
        )}
        {thread.resolved && thread.resolvedBy && <span className="comment-card__resolved-by">Resolved by {thread.resolvedBy.name}</span>}
      </header>
      {thread.replies.map((r) => (
        <ReplyView key={r.id} thread={thread} reply={r} permissions={permissions} api={api} candidates={candidates} />
      ))}
      {error && <p className="comment-card__error" role="alert">{error}</p>}
      <div className="comment-card__actions">
        {permissions.canResolve(thread) &&
          (thread.resolved ? (
            <button type="button" data-testid="comment-reopen" disabled={busy} onClick={() => void run(() => api.setResolved(thread.id, false))}>
              Reopen
            </button>
          ) : (
            <button type="button" data-testid="comment-resolve" disabled={busy} onClick={() => void run(() => api.setResolved(thread.id, true))}>
              Resolve
            </button>
          ))}
      </div>
      {permissions.canComment && !thread.resolved && (
        <form
          className="comment-card__reply"
          onSubmit={async (event) => {
            event.preventDefault();
            if (await run(() => api.reply(thread.id, toWireBody(reply.text, reply.picked)))) setReply(EMPTY_DRAFT);
          }}
        >
          <MentionTextField
            multiline={false}
            testId="comment-reply-input"
            label="Reply"
            placeholder="Reply… (@ to mention)"
            draft={reply}
            onChange={setReply}
            candidates={candidates}
            maxLength={COMMENT_LIMITS.maxBodyChars}
          />
          <button type="submit" data-testid="comment-reply-submit" disabled={busy || reply.text.trim() === ''}>
            Reply
          </button>
        </form>
      )}
    </article>
  );
}

function ReplyView({ thread, reply, permissions, api, candidates }: { thread: CommentThread; reply: CommentReply; permissions: CommentPermissions; api: CommentsApi; candidates: Candidates }) {
  const [editing, setEditing] = useState<MentionDraft | null>(null);
  const { busy, error, run } = useAction();
  if (reply.deleted) {
    return (
      <p className="comment-reply comment-reply--deleted" data-testid="comment-reply" data-deleted="true">
        Comment deleted
      </p>
    );
  }
  return (
    <div className="comment-reply" data-testid="comment-reply" data-author={reply.authorName} data-reply-id={reply.id}>
      <div className="comment-reply__meta">
        <strong>{reply.authorName || 'Someone'}</strong> <time dateTime={reply.createdAt}>{formatTime(reply.createdAt)}</time>
        {reply.editedAt && <span className="comment-reply__edited"> (edited)</span>}
      </div>
      {editing === null ? (
        <p className="comment-reply__body" data-testid="comment-body">
          {bodySegments(reply.body).map((segment, index) =>
            segment.kind === 'text' ? (
              segment.text
            ) : (
              <span key={index} className="comment-mention" data-testid="comment-mention" data-user-id={segment.mention.userId}>
                @{segment.mention.name}
              </span>
            ),
          )}
        </p>
      ) : (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (await run(() => api.edit(thread.id, reply.id, toWireBody(editing.text, editing.picked)))) setEditing(null);
          }}
        >
          <MentionTextField
            multiline
            testId="comment-edit-input"
            label="Edit comment"
            draft={editing}
            onChange={setEditing}
            candidates={candidates}
            maxLength={COMMENT_LIMITS.maxBodyChars}
          />
          <div className="comment-card__actions">
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="submit" data-testid="comment-edit-save" disabled={busy || editing.text.trim() === ''}>
              Save
            </button>
          </div>
        </form>
      )}
      {error && <p className="comment-card__error" role="alert">{error}</p>}
      {permissions.canChange(reply) && editing === null && (
        <div className="comment-reply__own">
          <button type="button" data-testid="comment-edit" onClick={() => setEditing(toDisplayBody(reply.body))}>
            Edit
          </button>
          <button type="button" data-testid="comment-delete" disabled={busy} onClick={() => void run(() => api.remove(thread.id, reply.id))}>
            Delete
          </button>
        </div>
      )}
    </div>
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
