import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { roleAtLeast, type Role } from '@copycloud/auth-client';
import { COMMENT_LIMITS, type CommentAnchor, type CommentAuthor, type CommentReply, type CommentThread, type ListedCommentThread, type ReviewEvent } from '@copycloud/protocol';
import {
  clampQuote,
  commentsMap,
  isVisibleThread,
  listThreads,
  locateAnchor,
  readThread,
  threadMap,
  writeReply,
  writeReplyDeleted,
  writeReplyEdit,
  writeResolved,
  writeThread,
} from '@copycloud/schema/comments';
import type { ReviewDelivery } from './delivery.js';
import { ReviewError } from './errors.js';

/** Who is asking, with their role on the document (already checked to be at least `viewer`). */
export interface Actor extends CommentAuthor {
  readonly role: Role;
}

export interface ReviewDeps {
  delivery: ReviewDelivery;
  /** Called once per committed change (createReviewEventEmitter). */
  emit: (event: ReviewEvent) => Promise<void>;
  now?: () => Date;
  newId?: () => string;
}

/**
 * The comment rules (COMMENT5-8), applied as server transactions:
 * commenters, editors and owners open threads and reply; each person edits
 * and deletes only their own comments; the thread's author may resolve or
 * reopen it, editors and owners any thread; everyone with a role reads.
 * Every check reads the document inside the same transaction that writes it.
 */
export class Review {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ReviewDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  async list(documentId: string): Promise<ListedCommentThread[]> {
    return this.deps.delivery.read(documentId, (doc) => listThreads(doc));
  }

  async createThread(documentId: string, actor: Actor, input: { anchor: CommentAnchor; body: string }): Promise<CommentThread> {
    requireRole(actor, 'commenter', 'comment');
    const at = this.now().toISOString();
    const id = this.newId();
    const thread = await this.deps.delivery.change(documentId, (doc) => {
      if (commentsMap(doc).size >= COMMENT_LIMITS.maxThreadsPerDocument) {
        throw new ReviewError('too_many', `this document already has ${COMMENT_LIMITS.maxThreadsPerDocument} comment threads`, 422);
      }
      const range = locateAnchor(doc, input.anchor);
      if (range.kind === 'unknown') {
        throw new ReviewError('anchor_not_found', 'the selected text is not on the server yet (an edit not yet saved?); try again in a moment', 409);
      }
      if (range.kind === 'detached') throw new ReviewError('invalid_request', 'the anchor selects no text of the document (empty, deleted, or not in the content)', 400);
      writeThread(doc, { id, anchor: input.anchor, quote: clampQuote(range.text), author: actor, body: input.body, replyId: this.newId(), at });
      return readThread(threadMap(doc, id))!;
    });
    await this.deps.emit({ type: 'thread-created', ...base(documentId, thread, actor, at), replyId: thread.replies[0]!.id, body: input.body, quote: thread.quote });
    return thread;
  }

  async reply(documentId: string, actor: Actor, threadId: string, body: string): Promise<CommentReply> {
    requireRole(actor, 'commenter', 'reply');
    const at = this.now().toISOString();
    const replyId = this.newId();
    const thread = await this.deps.delivery.change(documentId, (doc) => {
      const before = visibleThread(doc, threadId);
      if (before.replies.length >= COMMENT_LIMITS.maxRepliesPerThread) {
        throw new ReviewError('too_many', `this thread already has ${COMMENT_LIMITS.maxRepliesPerThread} comments`, 422);
      }
      writeReply(doc, threadId, { id: replyId, author: actor, body, at });
      return readThread(threadMap(doc, threadId))!;
    });
    const reply = thread.replies.find((r) => r.id === replyId)!;
    await this.deps.emit({ type: 'reply-added', ...base(documentId, thread, actor, at), replyId, body });
    return reply;
  }

  async editReply(documentId: string, actor: Actor, threadId: string, replyId: string, body: string): Promise<CommentReply> {
    requireRole(actor, 'commenter', 'edit comments');
    const at = this.now().toISOString();
    const thread = await this.deps.delivery.change(documentId, (doc) => {
      ownReply(visibleThread(doc, threadId), replyId, actor, 'edit');
      writeReplyEdit(doc, threadId, replyId, body, at);
      return readThread(threadMap(doc, threadId))!;
    });
    await this.deps.emit({ type: 'reply-edited', ...base(documentId, thread, actor, at), replyId, body });
    return thread.replies.find((r) => r.id === replyId)!;
  }

  async deleteReply(documentId: string, actor: Actor, threadId: string, replyId: string): Promise<void> {
    requireRole(actor, 'commenter', 'delete comments');
    const at = this.now().toISOString();
    const thread = await this.deps.delivery.change(documentId, (doc) => {
      ownReply(visibleThread(doc, threadId), replyId, actor, 'delete');
      writeReplyDeleted(doc, threadId, replyId, at);
      return readThread(threadMap(doc, threadId))!;
    });
    await this.deps.emit({ type: 'reply-deleted', ...base(documentId, thread, actor, at), replyId });
  }

  async setResolved(documentId: string, actor: Actor, threadId: string, resolved: boolean): Promise<CommentThread> {
    requireRole(actor, 'commenter', resolved ? 'resolve' : 'reopen');
    const at = this.now().toISOString();
    const thread = await this.deps.delivery.change(documentId, (doc) => {
      const current = visibleThread(doc, threadId);
      if (current.authorId !== actor.userId && !roleAtLeast(actor.role, 'editor')) {
        throw new ReviewError('forbidden', `only the thread's author, editors and owners may ${resolved ? 'resolve' : 'reopen'} it; you are ${actor.role}`, 403);
      }
      if (current.resolved !== resolved) writeResolved(doc, threadId, resolved, actor, at);
      return readThread(threadMap(doc, threadId))!;
    });
    await this.deps.emit({ type: resolved ? 'thread-resolved' : 'thread-reopened', ...base(documentId, thread, actor, at) });
    return thread;
  }
}

function requireRole(actor: Actor, required: Role, what: string): void {
  if (!roleAtLeast(actor.role, required)) throw new ReviewError('forbidden', `${what}: needs role ${required} or above on this document, you are ${actor.role}`, 403);
}

function visibleThread(doc: Y.Doc, threadId: string): CommentThread {
  const thread = readThread(threadMap(doc, threadId));
  if (!thread || !isVisibleThread(thread)) throw new ReviewError('thread_not_found', `comment thread ${threadId} not found`, 404);
  return thread;
}

function ownReply(thread: CommentThread, replyId: string, actor: Actor, what: 'edit' | 'delete'): CommentReply {
  const reply = thread.replies.find((r) => r.id === replyId);
  if (!reply || reply.deleted) throw new ReviewError('reply_not_found', `comment ${replyId} not found in thread ${thread.id}`, 404);
  if (reply.authorId !== actor.userId) throw new ReviewError('forbidden', `only its author may ${what} a comment`, 403);
  return reply;
}

function base(documentId: string, thread: CommentThread, actor: Actor, at: string) {
  const participants = new Set<string>([thread.authorId, ...thread.replies.map((r) => r.authorId)]);
  participants.add(actor.userId);
  return {
    documentId,
    threadId: thread.id,
    actor: { userId: actor.userId, name: actor.name },
    at,
    threadAuthorId: thread.authorId,
    participantIds: [...participants].filter((id) => id !== ''),
  };
}
