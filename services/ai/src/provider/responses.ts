import type OpenAI from 'openai';
import { AiError } from '../errors.js';
import { toAiError, type GenerateOptions, type GenerationEvent, type Prompt, type TextGenerator } from './text-generator.js';

/** The Responses API (`POST /v1/responses`, streamed): OpenAI's current one. */
export function responsesGenerator(client: OpenAI, model: string): TextGenerator {
  return {
    model,
    async *generate(prompt: Prompt, options: GenerateOptions): AsyncIterable<GenerationEvent> {
      let usage: { inputTokens: number; outputTokens: number } | null = null;
      let finished = false;
      try {
        const stream = await client.responses.create(
          {
            model,
            instructions: prompt.system,
            input: [{ role: 'user', content: [{ type: 'input_text', text: prompt.user }] }],
            max_output_tokens: options.maxOutputTokens,
            store: false,
            stream: true,
          },
          { signal: options.signal },
        );
        for await (const event of stream) {
          switch (event.type) {
            case 'response.output_text.delta':
              if (event.delta) yield { type: 'delta', text: event.delta };
              break;
            case 'response.completed':
            case 'response.incomplete': // max_output_tokens reached: what we have is the answer
              finished = true;
              if (event.response.usage)
                usage = { inputTokens: event.response.usage.input_tokens, outputTokens: event.response.usage.output_tokens };
              break;
            case 'response.failed':
              throw new AiError('upstream_unavailable', `the AI provider failed: ${event.response.error?.message ?? 'unknown error'}`);
            case 'error':
              throw new AiError('upstream_unavailable', `the AI provider failed: ${event.message}`);
            default:
              break;
          }
        }
      } catch (error) {
        throw toAiError(error, options.signal);
      }
      // The SDK ends a stream quietly when its signal aborts; say why it ended.
      if (options.signal.aborted) throw toAiError(options.signal.reason, options.signal);
      if (!finished) throw new AiError('upstream_incomplete', 'the AI provider ended the stream before finishing');
      yield { type: 'done', usage };
    },
  };
}
