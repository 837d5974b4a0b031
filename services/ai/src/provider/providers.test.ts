import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateTokens, startFakeOpenAI, type FakeOpenAI } from '@copycloud/fake-openai';
import { waitFor } from '@copycloud/testing';
import { AI_API_STYLES } from '../config.js';
import { AiError } from '../errors.js';
import { createTextGenerator, type GenerationEvent, type Prompt } from './index.js';

const PROMPT: Prompt = { system: 'Continue the text.', user: '<document_before_cursor>\nOur launch\n</document_before_cursor>' };

async function collect(iterable: AsyncIterable<GenerationEvent>): Promise<{ text: string; events: GenerationEvent[] }> {
  const events: GenerationEvent[] = [];
  let text = '';
  for await (const event of iterable) {
    events.push(event);
    if (event.type === 'delta') text += event.text;
  }
  return { text, events };
}

async function failure(iterable: AsyncIterable<GenerationEvent>): Promise<AiError> {
  try {
    await collect(iterable);
  } catch (error) {
    assert.ok(error instanceof AiError, `expected AiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the generation to fail');
}

for (const apiStyle of AI_API_STYLES) {
  describe(`openai SDK against the fake server (${apiStyle})`, () => {
    let fake: FakeOpenAI;
    const generator = () => createTextGenerator({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'demo-model', apiStyle });
    const signal = () => new AbortController().signal;

    before(async () => {
      fake = await startFakeOpenAI({ apiKey: 'sk-test' });
    });
    after(() => fake.close());

    test('streams the deterministic text, cut at the output limit, and reports usage', async () => {
      const whole = generateTokens(`${PROMPT.system}\n${PROMPT.user}`);
      assert.ok(whole.length > 5, 'the demo answer is longer than the limit below');
      const { text, events } = await collect(generator().generate(PROMPT, { maxOutputTokens: 5, signal: signal() }));
      assert.equal(text, whole.slice(0, 5).join(''));
      assert.ok(events.filter((e) => e.type === 'delta').length >= 5, 'text arrives in several deltas');
      const done = events.at(-1);
      assert.equal(done?.type, 'done');
      assert.deepEqual(done.type === 'done' && done.usage, { inputTokens: Math.ceil(`${PROMPT.system}\n${PROMPT.user}`.length / 4), outputTokens: 5 });
      const request = fake.requests.at(-1)!;
      assert.equal(request.api, apiStyle);
      assert.equal(request.stream, true);
      assert.equal(request.completed, true);
    });

    test('a 429 from the provider becomes upstream_rate_limited with its retry-after', async () => {
      fake.queue({ status: 429 });
      const error = await failure(generator().generate(PROMPT, { maxOutputTokens: 10, signal: signal() }));
      assert.equal(error.code, 'upstream_rate_limited');
      assert.equal(error.retryAfterSeconds, 20);
      assert.match(error.message, /rate limiting/);
    });

    test('401 and 500 from the provider map to upstream_auth and upstream_unavailable', async () => {
      fake.queue({ status: 401 });
      assert.equal((await failure(generator().generate(PROMPT, { maxOutputTokens: 5, signal: signal() }))).code, 'upstream_auth');
      fake.queue({ status: 500 });
      assert.equal((await failure(generator().generate(PROMPT, { maxOutputTokens: 5, signal: signal() }))).code, 'upstream_unavailable');
    });

    test('a wrong API key is refused by the provider as upstream_auth', async () => {
      const bad = createTextGenerator({ apiKey: 'sk-wrong', baseURL: fake.baseURL, model: 'demo-model', apiStyle });
      assert.equal((await failure(bad.generate(PROMPT, { maxOutputTokens: 5, signal: signal() }))).code, 'upstream_auth');
    });

    test('a malformed chunk mid-stream is upstream_malformed', async () => {
      fake.queue({ malformedAfterTokens: 2 });
      const error = await failure(generator().generate(PROMPT, { maxOutputTokens: 10, signal: signal() }));
      assert.equal(error.code, 'upstream_malformed');
    });

    test('a stream that ends without its terminator is upstream_incomplete', async () => {
      fake.queue({ cutAfterTokens: 3 });
      assert.equal((await failure(generator().generate(PROMPT, { maxOutputTokens: 10, signal: signal() }))).code, 'upstream_incomplete');
    });

    test('a connection reset mid-stream is upstream_unavailable', async () => {
      fake.queue({ resetAfterTokens: 3 });
      assert.equal((await failure(generator().generate(PROMPT, { maxOutputTokens: 10, signal: signal() }))).code, 'upstream_unavailable');
    });

    test('aborting the signal cancels the upstream request (the server sees the client go away)', async () => {
      fake.queue({ stallAfterTokens: 2 });
      const controller = new AbortController();
      const iterator = generator().generate(PROMPT, { maxOutputTokens: 10, signal: controller.signal })[Symbol.asyncIterator]();
      const first = await iterator.next();
      assert.equal(first.value?.type, 'delta');
      const request = fake.requests.at(-1)!;
      controller.abort(new AiError('cancelled', 'test went away'));
      // Deltas already buffered may still come out; then the iteration fails as cancelled.
      const drain = async () => {
        for (let step = await iterator.next(); !step.done; step = await iterator.next()) assert.equal(step.value.type, 'delta');
      };
      await assert.rejects(drain(), (error: unknown) => error instanceof AiError && error.code === 'cancelled');
      await waitFor(() => assert.equal(request.aborted, true), { message: 'fake server saw the abort' });
      assert.equal(request.completed, false);
    });
  });
}
