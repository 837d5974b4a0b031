import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DocumentSession } from '../sync/document-session.js';
import { createAiClient, type AiTokenSource } from './ai-client.js';
import { SAVE_WAIT_MS, type AiEditorContext } from './ai-context.js';
import { AiClientError } from './ai-errors.js';
import { AiUiStore, type AiUiSnapshot } from './ai-ui-store.js';
import { whenSaved } from './saved-wait.js';

/**
 * The AI context for one open document, made once (the editor's extensions
 * capture it at creation), plus the one-time `GET /api/ai/status` that decides
 * whether AI actions are offered.
 */
export function useAiEditorContext(session: DocumentSession, accessToken: AiTokenSource, baseUrl = ''): AiEditorContext {
  const [context] = useState<AiEditorContext>(() => ({
    client: createAiClient({ baseUrl, accessToken }),
    documentId: session.documentId,
    ui: new AiUiStore(),
    whenSaved: (signal) => whenSaved(session.syncStatus, signal, SAVE_WAIT_MS),
  }));

  useEffect(() => {
    const controller = new AbortController();
    const check = () =>
      context.client.status(controller.signal).then(
        (status) => context.ui.update({ availability: { state: 'ready', status }, demo: status.demo }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const message = error instanceof AiClientError ? error.message : String(error);
          context.ui.update({ availability: { state: 'unreachable', message } });
        },
      );
    void check();
    // Opened offline ("Failed to fetch"): ask again when the network is back instead of keeping the error.
    const onOnline = () => void check();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      controller.abort();
    };
  }, [context]);

  return context;
}

export function useAiUi(context: AiEditorContext): AiUiSnapshot {
  return useSyncExternalStore(context.ui.subscribe, context.ui.getSnapshot);
}
