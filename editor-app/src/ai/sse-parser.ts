/**
 * Incremental Server-Sent Events parser (the WHATWG "event stream
 * interpretation"): feed it text as it arrives, in chunks cut anywhere, and it
 * returns the events completed so far. Only `event` and `data` matter here;
 * `id`, `retry` and comments are read and dropped.
 */
export interface SseEvent {
  /** The `event:` field; "message" when the event named none. */
  readonly event: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
}

/** A line this long without a newline is not an event stream we can trust. */
export const MAX_SSE_LINE_CHARS = 1_000_000;

export class SseParseError extends Error {
  readonly code = 'malformed_stream';
}

export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];
  private hasData = false;

  /** Parses `chunk` (decoded text); returns every event it completed. */
  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = lineEnd(this.buffer);
      if (end === null) break;
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end.length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    // A lone "\r" at the very end may be the first half of "\r\n": keep waiting.
    if (this.buffer.length > MAX_SSE_LINE_CHARS) {
      throw new SseParseError(`an event stream line grew past ${MAX_SSE_LINE_CHARS} characters without ending`);
    }
    return events;
  }

  /**
   * The stream ended: a trailing lone "\r" was a line end after all. An event
   * without its closing blank line is dropped, as the SSE spec says.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith('\r')) {
      const event = this.line(this.buffer.slice(0, -1));
      this.buffer = '';
      if (event) events.push(event);
    }
    return events;
  }

  /** True when the stream stopped in the middle of an event (data was read but no blank line followed). */
  get pending(): boolean {
    return this.hasData || this.buffer.length > 0;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventName = value;
        return null;
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        return null;
      default:
        return null; // id, retry, unknown fields
    }
  }

  private dispatch(): SseEvent | null {
    const event = this.hasData ? { event: this.eventName || 'message', data: this.dataLines.join('\n') } : null;
    this.eventName = '';
    this.dataLines = [];
    this.hasData = false;
    return event;
  }
}

/** Where the first complete line ends: "\n", "\r\n" or a "\r" that is not the last character. */
function lineEnd(text: string): { index: number; length: number } | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return { index: i, length: 1 };
    if (c === 13) {
      if (i + 1 >= text.length) return null; // may be "\r\n" split across chunks
      return { index: i, length: text.charCodeAt(i + 1) === 10 ? 2 : 1 };
    }
  }
  return null;
}
