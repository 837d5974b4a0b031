import type { AiApiStyle } from '../config.js';
import { chatCompletionsGenerator } from './chat-completions.js';
import { responsesGenerator } from './responses.js';
import { createOpenAIClient, type OpenAIClientConfig, type TextGenerator } from './text-generator.js';

export * from './text-generator.js';
export { chatCompletionsGenerator } from './chat-completions.js';
export { responsesGenerator } from './responses.js';

export function createTextGenerator(config: OpenAIClientConfig & { model: string; apiStyle: AiApiStyle }): TextGenerator {
  const client = createOpenAIClient(config);
  switch (config.apiStyle) {
    case 'chat':
      return chatCompletionsGenerator(client, config.model);
    case 'responses':
      return responsesGenerator(client, config.model);
  }
}
