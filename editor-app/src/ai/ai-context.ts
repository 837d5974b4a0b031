import type { AiClient } from './ai-client.js';
import { AiClientError, describeAiFailure } from './ai-errors.js';
import type { AiUiStore } from './ai-ui-store.js';

/** What the AI editor features need from the page, built once per open document. */
export interface AiEditorContext {
  readonly client: AiClient;
  readonly documentId: string;
  readonly ui: AiUiStore;
  /**
   * Resolves once the server has stored every local edit, or after a bounded
   * wait: the sidecar reads the stored document, so the text just typed must
   * be there for the prompt (and for the cursor's relative position to resolve).
   */
  whenSaved(signal: AbortSignal): Promise<void>;
}

/** How long a request waits for local edits to be saved before it goes anyway. */
export const SAVE_WAIT_MS = 5_000;

/** The message for a failed request, or null when the failure was our own abort. */
export function failureMessage(error: unknown, signal: AbortSignal): string | null {
  if (signal.aborted) return null;
  if (error instanceof AiClientError) return describeAiFailure(error);
  return `AI request failed: ${error instanceof Error ? error.message : String(error)}`;
}
