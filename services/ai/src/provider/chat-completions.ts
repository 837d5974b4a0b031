import type OpenAI from 'openai';
import { AiError } from '../errors.js';
import { toAiError, type GenerateOptions, type GenerationEvent, type Prompt, type TextGenerator } from './text-generator.js';

/** Chat Completions (`POST /v1/chat/completions`, streamed): what every local server speaks. */
export function chatCompletionsGenerator(client: OpenAI, model: string): TextGenerator {
  return {
    model,
    async *generate(prompt: Prompt, options: GenerateOptions): AsyncIterable<GenerationEvent> {
      let finished = false;
      let usage: { inputTokens: number; outputTokens: number } | null = null;
      try {
        const stream = await client.chat.completions.create(
          {
            model,
            messages: [
              { role: 'system', content: prompt.system },
              { role: 'user', content: prompt.user },
            ],
            // max_tokens rather than max_completion_tokens: Ollama, llama.cpp and
            // older vLLM only understand this one.
            max_tokens: options.maxOutputTokens,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: options.signal },
        );
        for await (const chunk of stream) {
          if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
          const choice = chunk.choices[0];
          if (!choice) continue;
          const text = choice.delta?.content;
          if (text) yield { type: 'delta', text };
          if (choice.finish_reason) finished = true;
        }
      } catch (error) {
        throw toAiError(error, options.signal);
      }
      // A stream that ends without a finish_reason was cut short upstream.
      // The SDK ends a stream quietly when its signal aborts; say why it ended.
      if (options.signal.aborted) throw toAiError(options.signal.reason, options.signal);
      if (!finished) throw new AiError('upstream_incomplete', 'the AI provider ended the stream before finishing');
      yield { type: 'done', usage };
    },
  };
}
