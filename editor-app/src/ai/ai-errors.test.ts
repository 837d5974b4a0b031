import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AiClientError, describeAiFailure, failureCodeOf } from './ai-errors.js';

test('every sidecar error code is known; an unknown one (a newer server) is a generic failure', () => {
  for (const code of ['ai_not_configured', 'cursor_not_found', 'upstream_rate_limited', 'upstream_unavailable', 'upstream_timeout', 'upstream_malformed', 'upstream_incomplete']) {
    assert.equal(failureCodeOf(code), code);
  }
  assert.equal(failureCodeOf('something_new'), 'http_error');
});

test('upstream 429, 5xx, timeout and malformed streams each get a clear message saying nothing was inserted or when to retry', () => {
  const say = (code: Parameters<typeof failureCodeOf>[0], retry?: number) => describeAiFailure(new AiClientError(failureCodeOf(code), 'server text', retry));
  assert.equal(say('upstream_rate_limited', 2.2), 'The AI provider is rate limiting requests (429). Try again in 3 s.');
  assert.match(say('upstream_unavailable'), /server error \(5xx\)\. Nothing was inserted/);
  assert.match(say('upstream_timeout'), /too long.*Nothing was inserted/);
  assert.match(say('upstream_malformed'), /garbled.*Nothing was inserted/);
  assert.match(say('upstream_incomplete'), /cut off.*Nothing was inserted/);
  assert.equal(say('ai_not_configured'), 'AI is off on this server: set OPENAI_BASE_URL or AI_PROVIDER=fake.');
  // Unknown codes keep the server's own words.
  assert.equal(say('something_new'), 'AI request failed: server text');
});
