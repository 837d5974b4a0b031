import type { CommentAnchor, CommentReply, CommentThread } from '@copycloud/protocol';

export class CommentsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long to keep retrying a thread whose text the server has not received yet (409 anchor_not_found). */
export const ANCHOR_RETRY_MS = 5_000;
const ANCHOR_RETRY_STEP_MS = 250;

/**
 * The review service's comment routes, with the caller's access token. Every
 * change comes back to this page through the document itself (live), so
 * callers need not apply results locally.
 */
export class CommentsApi {
  constructor(
    private readonly documentId: string,
    private readonly accessToken: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Opens a thread. The selected text may have been typed a moment ago and
   * not reached the server yet: a 409 is retried for a few seconds.
   */
  async createThread(anchor: CommentAnchor, body: string): Promise<CommentThread> {
    const deadline = Date.now() + ANCHOR_RETRY_MS;
    for (;;) {
      try {
        return ((await this.json('POST', '', { anchor, body })) as { thread: CommentThread }).thread;
      } catch (error) {
        if (!(error instanceof CommentsApiError) || error.code !== 'anchor_not_found' || Date.now() > deadline) throw error;
        await this.sleep(ANCHOR_RETRY_STEP_MS);
      }
    }
  }

  async reply(threadId: string, body: string): Promise<CommentReply> {
    return ((await this.json('POST', `/${encodeURIComponent(threadId)}/replies`, { body })) as { reply: CommentReply }).reply;
  }

  async edit(threadId: string, replyId: string, body: string): Promise<CommentReply> {
    return ((await this.json('PATCH', `/${encodeURIComponent(threadId)}/replies/${encodeURIComponent(replyId)}`, { body })) as { reply: CommentReply }).reply;
  }

  async remove(threadId: string, replyId: string): Promise<void> {
    await this.request('DELETE', `/${encodeURIComponent(threadId)}/replies/${encodeURIComponent(replyId)}`);
  }

  async setResolved(threadId: string, resolved: boolean): Promise<CommentThread> {
    return ((await this.json('POST', `/${encodeURIComponent(threadId)}/${resolved ? 'resolve' : 'reopen'}`)) as { thread: CommentThread }).thread;
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.request(method, path, body)).json();
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.fetchFn(`/api/docs/${encodeURIComponent(this.documentId)}/comments${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      const detail = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new CommentsApiError(response.status, detail.error ?? 'http_error', detail.message ?? `request failed with ${response.status}`);
    }
    return response;
  }
}
