import type { ListNotificationsResponse, MarkNotificationsReadRequest } from '@copycloud/protocol';
import { SseParser } from '../ai/sse-parser.js';

/** What the review service's notification stream sends (`GET /api/notifications/stream`). */
export type NotificationStreamEvent = { type: 'unread'; unread: number; latestId: string | null } | { type: 'ping' };

export class NotificationsApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The notification routes, with the signed-in person's access token. The
 * stream is read with fetch (an EventSource cannot send the Authorization
 * header the service requires).
 */
export class NotificationsApi {
  constructor(
    private readonly accessToken: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  async list(): Promise<ListNotificationsResponse> {
    return (await (await this.request('GET', '/api/notifications')).json()) as ListNotificationsResponse;
  }

  async markRead(request: MarkNotificationsReadRequest): Promise<{ marked: number; unread: number }> {
    return (await (await this.request('POST', '/api/notifications/read', request)).json()) as { marked: number; unread: number };
  }

  /**
   * Opens the stream and calls `onEvent` for each event until it ends:
   * resolves when the server ends it (it does after a while, for a fresh
   * token), rejects when it fails or is refused; `signal` aborts it.
   */
  async stream(onEvent: (event: NotificationStreamEvent) => void, signal: AbortSignal): Promise<void> {
    const response = await this.request('GET', '/api/notifications/stream', undefined, signal);
    if (!response.body) throw new NotificationsApiError(response.status, 'the notification stream has no body');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const event of parser.feed(value)) {
          if (event.event === 'ping') onEvent({ type: 'ping' });
          else if (event.event === 'unread') {
            const data = JSON.parse(event.data) as { unread?: unknown; latestId?: unknown };
            if (typeof data.unread !== 'number') throw new NotificationsApiError(200, 'an unread event without a count');
            onEvent({ type: 'unread', unread: data.unread, latestId: typeof data.latestId === 'string' ? data.latestId : null });
          }
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  private async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const response = await this.fetchFn(path, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) {
      const detail = (await response.json().catch(() => ({}))) as { message?: string };
      throw new NotificationsApiError(response.status, detail.message ?? `${method} ${path} answered ${response.status}`);
    }
    return response;
  }
}
