import type { CommentReply, CommentThread } from '@copycloud/protocol';
import type { DocumentRole } from '../documents/documents-api.js';

/**
 * What this person may do with comments — the review service's rules
 * (services/review/src/review.ts), mirrored so the page offers only what
 * will be accepted. The server checks every request again.
 */
export interface CommentPermissions {
  /** Open threads and reply: commenters, editors, owners. Viewers read only. */
  readonly canComment: boolean;
  canResolve(thread: CommentThread): boolean;
  canChange(reply: CommentReply): boolean;
}

export function commentPermissions(role: DocumentRole | null, userId: string | null): CommentPermissions {
  const canComment = role === 'commenter' || role === 'editor' || role === 'owner';
  const editorOrOwner = role === 'editor' || role === 'owner';
  return {
    canComment,
    canResolve: (thread) => editorOrOwner || (canComment && userId !== null && thread.authorId === userId),
    canChange: (reply) => canComment && userId !== null && reply.authorId === userId && !reply.deleted,
  };
}
