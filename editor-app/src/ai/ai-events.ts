import type { AiStatus, AiStreamEvent } from '@copycloud/protocol';
import type { SseEvent } from './sse-parser.js';

/** The typed events of `POST /api/ai/complete` and `/rewrite`, and `GET /api/ai/status` (the wire contract). */
export type { AiStatus, AiStreamEvent } from '@copycloud/protocol';

/** The SSE event as a typed AI event; null when it is not one (the caller reports a malformed stream). */
export function parseAiEvent(event: SseEvent): AiStreamEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  switch (event.event) {
    case 'start':
      return typeof data['requestId'] === 'string' && typeof data['model'] === 'string' && typeof data['demo'] === 'boolean'
        ? { type: 'start', requestId: data['requestId'], model: data['model'], demo: data['demo'] }
        : null;
    case 'delta':
      return typeof data['text'] === 'string' ? { type: 'delta', text: data['text'] } : null;
    case 'done': {
      const usage = data['usage'];
      if (!isRecord(usage)) return null;
      const { inputTokens, outputTokens, estimated } = usage;
      return typeof inputTokens === 'number' && typeof outputTokens === 'number' && typeof estimated === 'boolean'
        ? { type: 'done', usage: { inputTokens, outputTokens, estimated } }
        : null;
    }
    case 'error': {
      const { code, message, retryAfterSeconds } = data;
      if (typeof code !== 'string' || typeof message !== 'string') return null;
      return typeof retryAfterSeconds === 'number'
        ? { type: 'error', code, message, retryAfterSeconds }
        : { type: 'error', code, message };
    }
    default:
      return null;
  }
}

export function parseAiStatus(body: unknown): AiStatus | null {
  if (!isRecord(body) || typeof body['configured'] !== 'boolean' || typeof body['demo'] !== 'boolean') return null;
  const model = body['model'];
  return {
    configured: body['configured'],
    demo: body['demo'],
    model: typeof model === 'string' ? model : null,
    ...(typeof body['message'] === 'string' ? { message: body['message'] } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
