import * as Y from 'yjs';
import { readContentText, type ContentText } from './content-text.js';
import {
  COMMENTS_FIELD,
  COMMENT_LIMITS,
  fromBase64,
  toBase64,
  type CommentAnchor,
  type CommentAuthor,
  type CommentReply,
  type CommentThread,
  type ListedCommentThread,
} from '@copycloud/protocol';

/**
 * Comment threads live in the document, in the root map `comments`
 * (threadId → Y.Map), beside the content fragment `default`: they sync live
 * like the text, are durable through the update log, and survive restores
 * (a restore replaces only the content fragment). Only the server writes
 * this root (sync nodes refuse client updates that touch it; the review
 * service makes every change as a server transaction); everybody reads it.
 *
 * A thread's Y.Map: id, anchor {start, end} (base64 Yjs relative positions
 * into the content), quote, authorId, authorName, createdAt, resolved,
 * resolvedBy {userId, name} | null, resolvedAt, replies (Y.Array of Y.Map:
 * id, authorId, authorName, body, createdAt, editedAt, deleted). The opening
 * comment is replies[0]; deleting it removes the thread from the lists.
 *
 * Anchors are relative positions, so a thread follows its words through
 * concurrent edits; when its words are deleted the range collapses and the
 * thread is "detached" (listed, never lost).
 */
export { COMMENTS_FIELD };
export { readContentText, type ContentText };

/** The content fragment anchors point into (Tiptap's Collaboration field, DOCUMENT_FIELD). */
const CONTENT_FIELD = 'default';

export function commentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(COMMENTS_FIELD) as Y.Map<Y.Map<unknown>>;
}

// ---------------------------------------------------------------- reading

/** Every well-formed thread in `doc`, in creation order (malformed entries are skipped, never thrown on). */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const threads: CommentThread[] = [];
  for (const value of commentsMap(doc).values()) {
    const thread = readThread(value);
    if (thread) threads.push(thread);
  }
  return threads.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

export function readThread(value: unknown): CommentThread | null {
  if (!(value instanceof Y.Map)) return null;
  const anchor = value.get('anchor') as Partial<CommentAnchor> | undefined;
  const replies = value.get('replies');
  const resolvedBy = value.get('resolvedBy') as Partial<CommentAuthor> | null | undefined;
  const id = str(value.get('id'));
  if (!id || !anchor || typeof anchor.start !== 'string' || typeof anchor.end !== 'string' || !(replies instanceof Y.Array)) return null;
  return {
    id,
    anchor: { start: anchor.start, end: anchor.end },
    quote: str(value.get('quote')),
    authorId: str(value.get('authorId')),
    authorName: str(value.get('authorName')),
    createdAt: str(value.get('createdAt')),
    resolved: value.get('resolved') === true,
    resolvedBy: resolvedBy && typeof resolvedBy.userId === 'string' ? { userId: resolvedBy.userId, name: str(resolvedBy.name) } : null,
    resolvedAt: typeof value.get('resolvedAt') === 'string' ? (value.get('resolvedAt') as string) : null,
    replies: (replies.toArray() as unknown[]).map(readReply).filter((reply): reply is CommentReply => reply !== null),
  };
}

function readReply(value: unknown): CommentReply | null {
  if (!(value instanceof Y.Map)) return null;
  const id = str(value.get('id'));
  if (!id) return null;
  const deleted = value.get('deleted') === true;
  return {
    id,
    authorId: str(value.get('authorId')),
    authorName: str(value.get('authorName')),
    body: deleted ? '' : str(value.get('body')),
    createdAt: str(value.get('createdAt')),
    editedAt: typeof value.get('editedAt') === 'string' ? (value.get('editedAt') as string) : null,
    deleted,
  };
}

/** A thread is shown unless its opening comment was deleted. */
export function isVisibleThread(thread: CommentThread): boolean {
  return thread.replies.length > 0 && !thread.replies[0]!.deleted;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// ---------------------------------------------------------------- anchors

/** Decodes one base64 relative position; null when it is not one, or names a root other than the content. */
export function decodeAnchorPosition(encoded: string): Y.RelativePosition | null {
  if (encoded.length === 0 || encoded.length > COMMENT_LIMITS.maxAnchorChars) return null;
  try {
    const relative = Y.decodeRelativePosition(fromBase64(encoded));
    // A root name other than the content's would make Yjs create that root when resolving it.
    if (relative.tname !== null && relative.tname !== CONTENT_FIELD) return null;
    if (relative.item === null && relative.type === null && relative.tname === null) return null;
    return relative;
  } catch {
    return null;
  }
}

export function encodeAnchorPosition(relative: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(relative));
}

/**
 * The anchor of the content between two Yjs positions (type, index) — as the
 * editor computes them from a selection: the start sticks to the first
 * selected character, the end to the last one, so text typed just before or
 * just after the selection stays outside the thread.
 */
export function anchorFromTypeIndices(start: { type: Y.AbstractType<unknown>; index: number }, end: { type: Y.AbstractType<unknown>; index: number }): CommentAnchor {
  return {
    start: encodeAnchorPosition(Y.createRelativePositionFromTypeIndex(start.type, start.index, 0)),
    end: encodeAnchorPosition(Y.createRelativePositionFromTypeIndex(end.type, end.index, -1)),
  };
}

export type AnchorRange = { kind: 'attached'; from: number; to: number; text: string } | { kind: 'detached' } | { kind: 'unknown' };

/**
 * Where `anchor` is in `doc` now, as plain-text offsets of `readContentText`:
 * `attached` with the text it covers; `detached` when its words were
 * deleted (the range collapsed, or its block is gone); `unknown` when `doc`
 * does not hold the characters it names (yet).
 */
export function locateAnchor(doc: Y.Doc, anchor: CommentAnchor, content: ContentText = readContentText(doc)): AnchorRange {
  const start = decodeAnchorPosition(anchor.start);
  const end = decodeAnchorPosition(anchor.end);
  if (!start || !end) return { kind: 'detached' };
  if (!holdsPosition(doc, start) || !holdsPosition(doc, end)) return { kind: 'unknown' };
  const startAbs = Y.createAbsolutePositionFromRelativePosition(start, doc);
  const endAbs = Y.createAbsolutePositionFromRelativePosition(end, doc);
  if (!startAbs || !endAbs || insideDeleted(startAbs.type) || insideDeleted(endAbs.type)) return { kind: 'detached' };
  const from = content.offsetOf(startAbs);
  const to = content.offsetOf(endAbs);
  if (from === null || to === null || to <= from) return { kind: 'detached' };
  return { kind: 'attached', from, to, text: content.text.slice(from, to) };
}

/** Whether `doc` has seen the item (or type) a relative position names. */
export function holdsPosition(doc: Y.Doc, relative: Y.RelativePosition): boolean {
  const id = relative.item ?? relative.type;
  return id === null || Y.getState(doc.store, id.client) > id.clock;
}

function insideDeleted(type: Y.AbstractType<unknown>): boolean {
  for (let item = type._item; item; item = (item.parent as Y.AbstractType<unknown>)._item) if (item.deleted) return true;
  return false;
}

/** The threads with where they are now, for lists and export. */
export function listThreads(doc: Y.Doc): ListedCommentThread[] {
  const content = readContentText(doc);
  return readThreads(doc)
    .filter(isVisibleThread)
    .map((thread) => {
      const range = locateAnchor(doc, thread.anchor, content);
      return { ...thread, detached: range.kind !== 'attached', currentText: range.kind === 'attached' ? range.text : '' };
    });
}

/** `text` cut to `max` characters with an ellipsis. */
export function clampQuote(text: string, max: number = COMMENT_LIMITS.maxQuoteChars): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

// ---------------------------------------------------------------- writing (server transactions only)

export interface NewThread {
  readonly id: string;
  readonly anchor: CommentAnchor;
  readonly quote: string;
  readonly author: CommentAuthor;
  readonly body: string;
  readonly replyId: string;
  readonly at: string;
}

/** Adds a thread with its opening comment. Call inside the server's transaction. */
export function writeThread(doc: Y.Doc, thread: NewThread): void {
  const map = new Y.Map<unknown>();
  commentsMap(doc).set(thread.id, map);
  map.set('id', thread.id);
  map.set('anchor', { start: thread.anchor.start, end: thread.anchor.end });
  map.set('quote', thread.quote);
  map.set('authorId', thread.author.userId);
  map.set('authorName', thread.author.name);
  map.set('createdAt', thread.at);
  map.set('resolved', false);
  map.set('resolvedBy', null);
  map.set('resolvedAt', null);
  const replies = new Y.Array<Y.Map<unknown>>();
  map.set('replies', replies);
  replies.push([replyMap({ id: thread.replyId, author: thread.author, body: thread.body, at: thread.at })]);
}

function replyMap(reply: { id: string; author: CommentAuthor; body: string; at: string }): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('id', reply.id);
  map.set('authorId', reply.author.userId);
  map.set('authorName', reply.author.name);
  map.set('body', reply.body);
  map.set('createdAt', reply.at);
  map.set('editedAt', null);
  map.set('deleted', false);
  return map;
}

/** The live Y.Map of a thread, or null. */
export function threadMap(doc: Y.Doc, threadId: string): Y.Map<unknown> | null {
  const value = commentsMap(doc).get(threadId);
  return value instanceof Y.Map ? value : null;
}

function repliesOf(thread: Y.Map<unknown>): Y.Array<Y.Map<unknown>> {
  const replies = thread.get('replies');
  if (!(replies instanceof Y.Array)) throw new Error('thread has no replies array');
  return replies as Y.Array<Y.Map<unknown>>;
}

export function writeReply(doc: Y.Doc, threadId: string, reply: { id: string; author: CommentAuthor; body: string; at: string }): void {
  const thread = threadMap(doc, threadId);
  if (!thread) throw new Error(`no thread ${threadId}`);
  repliesOf(thread).push([replyMap(reply)]);
}

function replyMapOf(doc: Y.Doc, threadId: string, replyId: string): Y.Map<unknown> {
  const thread = threadMap(doc, threadId);
  if (!thread) throw new Error(`no thread ${threadId}`);
  const reply = repliesOf(thread)
    .toArray()
    .find((candidate) => candidate instanceof Y.Map && candidate.get('id') === replyId);
  if (!reply) throw new Error(`no reply ${replyId} in thread ${threadId}`);
  return reply;
}

export function writeReplyEdit(doc: Y.Doc, threadId: string, replyId: string, body: string, at: string): void {
  const reply = replyMapOf(doc, threadId, replyId);
  reply.set('body', body);
  reply.set('editedAt', at);
}

/** Marks a reply deleted and forgets its text (the entry stays so the thread's order does). */
export function writeReplyDeleted(doc: Y.Doc, threadId: string, replyId: string, at: string): void {
  const reply = replyMapOf(doc, threadId, replyId);
  reply.set('deleted', true);
  reply.set('body', '');
  reply.set('editedAt', at);
}

export function writeResolved(doc: Y.Doc, threadId: string, resolved: boolean, by: CommentAuthor, at: string): void {
  const thread = threadMap(doc, threadId);
  if (!thread) throw new Error(`no thread ${threadId}`);
  thread.set('resolved', resolved);
  thread.set('resolvedBy', resolved ? { userId: by.userId, name: by.name } : null);
  thread.set('resolvedAt', resolved ? at : null);
}
