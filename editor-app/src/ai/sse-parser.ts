import { createParser, type EventSourceParser } from 'eventsource-parser';

/**
 * Server-Sent Events of the AI stream, read with `eventsource-parser` (the
 * WHATWG "event stream interpretation"): feed it text as it arrives, in chunks
 * cut anywhere, and it returns the events completed so far. Only `event` and
 * `data` matter here; `id`, `retry` and comments are read and dropped.
 */
export interface SseEvent {
  /** The `event:` field; "message" when the event named none. */
  readonly event: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
}

/** This much buffered text without a complete event is not an event stream we can trust. */
export const MAX_SSE_LINE_CHARS = 1_000_000;

export class SseParseError extends Error {
  readonly code = 'malformed_stream';
}

/** A blank line (any of the three line ends, twice) closes an event. */
const AT_EVENT_BOUNDARY = /(?:\r\n|\n|\r)(?:\r\n|\n|\r)$/;

export class SseParser {
  private completed: SseEvent[] = [];
  private failure: SseParseError | null = null;
  /** The last few characters fed, to tell whether the stream stopped between events. */
  private tail = '';
  private readonly parser: EventSourceParser = createParser({
    maxBufferSize: MAX_SSE_LINE_CHARS,
    onEvent: (message) => this.completed.push({ event: message.event ?? 'message', data: message.data }),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') {
        this.failure = new SseParseError(`an event stream grew past ${MAX_SSE_LINE_CHARS} characters without completing an event`);
      }
      // Unknown fields and bad `retry` values are ignored, as the SSE spec says.
    },
  });

  /** Parses `chunk` (decoded text); returns every event it completed. */
  feed(chunk: string): SseEvent[] {
    if (this.failure) throw this.failure;
    this.parser.feed(chunk);
    this.tail = (this.tail + chunk).slice(-4);
    return this.take();
  }

  /**
   * The stream ended: a trailing lone "\r" was a line end after all. An event
   * without its closing blank line is dropped, as the SSE spec says.
   */
  end(): SseEvent[] {
    if (this.failure) throw this.failure;
    this.parser.reset({ consume: true });
    return this.take();
  }

  /** True when the stream stopped in the middle of an event (something was read but no blank line followed). */
  get pending(): boolean {
    return this.tail !== '' && !AT_EVENT_BOUNDARY.test(this.tail);
  }

  private take(): SseEvent[] {
    if (this.failure) throw this.failure;
    const events = this.completed;
    this.completed = [];
    return events;
  }
}
