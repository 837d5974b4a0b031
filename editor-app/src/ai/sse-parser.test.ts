import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SSE_LINE_CHARS, SseParseError, SseParser } from './sse-parser.js';

const STREAM = 'event: start\ndata: {"requestId":"r1","model":"demo-model","demo":true}\n\nevent: delta\ndata: {"text":" Bright"}\n\n: keep-alive\n\nevent: done\ndata: {"usage":{"inputTokens":3,"outputTokens":1,"estimated":true}}\n\n';

test('parses named events and skips comments', () => {
  const events = new SseParser().feed(STREAM);
  assert.deepEqual(
    events.map((e) => e.event),
    ['start', 'delta', 'done'],
  );
  assert.equal(JSON.parse(events[1]!.data).text, ' Bright');
});

test('gives the same events however the stream is cut into chunks (every split point, CRLF too)', () => {
  for (const stream of [STREAM, STREAM.replaceAll('\n', '\r\n'), STREAM.replaceAll('\n', '\r')]) {
    const first = new SseParser();
    const whole = [...first.feed(stream), ...first.end()];
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.feed(stream.slice(0, cut)), ...parser.feed(stream.slice(cut)), ...parser.end()];
      assert.deepEqual(events, whole, `cut at ${cut}`);
    }
    assert.equal(whole.length, 3);
  }
});

test('joins multi-line data, defaults the event name, ignores id/retry and events without data', () => {
  const events = new SseParser().feed('id: 1\nretry: 10\ndata: a\ndata:b\n\nevent: ping\n\ndata\n\n');
  assert.deepEqual(events, [
    { event: 'message', data: 'a\nb' },
    { event: 'message', data: '' },
  ]);
});

test('reports a half-sent event as pending', () => {
  const parser = new SseParser();
  parser.feed('event: delta\ndata: {"text":"x"}\n');
  assert.equal(parser.pending, true);
  parser.feed('\n');
  assert.equal(parser.pending, false);
});

test('refuses an endless line instead of buffering it forever', () => {
  const parser = new SseParser();
  assert.throws(() => parser.feed('data: ' + 'x'.repeat(MAX_SSE_LINE_CHARS)), SseParseError);
});
