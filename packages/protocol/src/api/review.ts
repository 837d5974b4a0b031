/**
 * Comments (services/review ⇄ editor-app, and whoever listens to review
 * events). Threads live in the document itself (root map `comments`, written
 * only by the server: see @copycloud/schema's comments.ts); the HTTP API is
 * how every comment change is made, role-checked and bounded.
 */

/** The document's root map of comment threads (threadId → thread map). */
export const COMMENTS_FIELD = 'comments';

/**
 * Root types of a document that only server transactions write: `comments`
 * (the review service) and `restores` (restore marks, @copycloud/schema's
 * RESTORES_FIELD). Sync nodes refuse a client update that touches either.
 */
export const SERVER_ONLY_ROOTS = [COMMENTS_FIELD, 'restores'] as const;

/** Limits every comment request is held to (400 beyond them). */
export const COMMENT_LIMITS = Object.freeze({
  /** A comment or reply body, in characters (Google Docs allows about this much). */
  maxBodyChars: 4_000,
  /** The quoted text stored with a thread, in characters (longer selections are cut with "…"). */
  maxQuoteChars: 500,
  /** One encoded Yjs relative position (base64), in characters. */
  maxAnchorChars: 256,
  /** Replies in one thread, the opening comment included. */
  maxRepliesPerThread: 500,
  /** Threads in one document. */
  maxThreadsPerDocument: 5_000,
  /** A request body, in bytes. */
  maxRequestBytes: 16 * 1024,
});

/** A thread's place in the text: two base64 `Y.encodeRelativePosition`s in the content fragment. */
export interface CommentAnchor {
  /** Before the first selected character (sticks to it). */
  readonly start: string;
  /** After the last selected character (sticks to it: text typed after the selection stays outside). */
  readonly end: string;
}

export interface CommentAuthor {
  readonly userId: string;
  readonly name: string;
}

export interface CommentReply {
  readonly id: string;
  readonly authorId: string;
  readonly authorName: string;
  /** Empty once deleted. */
  readonly body: string;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deleted: boolean;
}

export interface CommentThread {
  readonly id: string;
  readonly anchor: CommentAnchor;
  /** The text that was selected when the thread was opened. */
  readonly quote: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly createdAt: string;
  readonly resolved: boolean;
  readonly resolvedBy: CommentAuthor | null;
  readonly resolvedAt: string | null;
  /** The opening comment first, then the replies in order. */
  readonly replies: readonly CommentReply[];
}

/** `GET /api/docs/:id/comments`: a thread as listed, with where its anchor is now. */
export interface ListedCommentThread extends CommentThread {
  /** Its anchored text was deleted (the range collapsed): shown as detached, never lost. */
  readonly detached: boolean;
  /** The anchored text as it reads now ('' when detached). */
  readonly currentText: string;
}

/** `POST /api/docs/:id/comments` */
export interface CreateThreadRequest {
  readonly anchor: CommentAnchor;
  readonly body: string;
}

/** `POST /api/docs/:id/comments/:threadId/replies`, `PATCH …/replies/:replyId` */
export interface ReplyRequest {
  readonly body: string;
}

/** `POST /api/docs/:id/comments/:threadId/resolve` / `…/reopen` take no body. */

export const REVIEW_ERROR_CODES = [
  'invalid_request',
  'document_not_found',
  'thread_not_found',
  'reply_not_found',
  /** The anchor names text the server's copy does not hold (yet): retry once the edit is saved. */
  'anchor_not_found',
  'too_many',
  'forbidden',
  'unauthorized',
] as const;
export type ReviewErrorCode = (typeof REVIEW_ERROR_CODES)[number];

/** Limits of `POST /api/docs/:id/suggestions` (400 beyond them; the request itself is held to `COMMENT_LIMITS.maxRequestBytes`). */
export const SUGGESTION_LIMITS = Object.freeze({
  /** The proposed text, in characters (@copycloud/schema's writer allows more; the API keeps requests small). */
  maxTextChars: 4_000,
});

/**
 * `POST /api/docs/:id/suggestions` (commenters, editors, owners): propose to
 * replace the text between two positions of one text block with `text`,
 * recorded exactly as Suggesting mode records it (struck + inserted text).
 * `from` and `to` are base64 `Y.encodeRelativePosition`s like a comment
 * anchor's `start`/`end`; `text` '' proposes a deletion, `from` = `to` with
 * text an insertion.
 */
export interface CreateSuggestionRequest {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export interface CreatedSuggestion {
  /** The suggestion id (shared by its deletion and insertion marks). */
  readonly id: string;
  /** The text proposed for deletion, as the server read it (clamped like a quote). */
  readonly quote: string;
  readonly text: string;
  readonly deletedChars: number;
  readonly insertedChars: number;
}

/**
 * What happened, one event per change, from one function in the review
 * service (its `ReviewEventSink`): what notifications and @mentions hook into.
 * For threads, `threadAuthorId` and `participantIds` (everyone who wrote in
 * the thread, the actor included) say who may want to hear about it; for a
 * suggestion, `textAuthorIds`.
 */
export type ReviewEvent = CommentEvent | SuggestionCreatedEvent;

/**
 * A suggestion made through the API. `textAuthorIds` are the people whose
 * text it touches, never the actor: the document's owners (the update log
 * does not record who typed what) and whoever proposed text inside the range.
 */
export interface SuggestionCreatedEvent {
  readonly type: 'suggestion-created';
  readonly documentId: string;
  readonly suggestionId: string;
  readonly actor: CommentAuthor;
  readonly at: string;
  /** The text proposed for deletion ('' for an insertion), clamped. */
  readonly quote: string;
  /** The proposed text ('' for a deletion). */
  readonly text: string;
  readonly textAuthorIds: readonly string[];
}

export type CommentEvent =
  | (ReviewEventBase & { readonly type: 'thread-created'; readonly replyId: string; readonly body: string; readonly quote: string })
  | (ReviewEventBase & { readonly type: 'reply-added'; readonly replyId: string; readonly body: string })
  | (ReviewEventBase & { readonly type: 'reply-edited'; readonly replyId: string; readonly body: string })
  | (ReviewEventBase & { readonly type: 'reply-deleted'; readonly replyId: string })
  | (ReviewEventBase & { readonly type: 'thread-resolved' })
  | (ReviewEventBase & { readonly type: 'thread-reopened' });

export interface ReviewEventBase {
  readonly documentId: string;
  readonly threadId: string;
  readonly actor: CommentAuthor;
  readonly at: string;
  readonly threadAuthorId: string;
  readonly participantIds: readonly string[];
}

export type ReviewEventType = ReviewEvent['type'];
