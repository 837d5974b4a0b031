import type { Extension, Hocuspocus, onConfigurePayload } from '@hocuspocus/server';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@copycloud/observability';

export type DocumentState = 'loading' | 'active' | 'unloading';

/**
 * Tracks each document through loading → active → unloading → (gone), so the
 * order of events around a reconnect during an unload is explicit:
 * - a load that starts while the previous copy is unloading waits (in the
 *   persistence extension) until that copy's pending updates are committed,
 *   then reads them back from Postgres — it never sees a stale copy;
 * - the old copy's late `afterUnloadDocument` does not erase the new copy's
 *   state (the Redis fan-out keeps its subscription for the same reason).
 * Its hooks run before the other extensions' (Hocuspocus orders every hook
 * by priority, highest first), on load and on unload alike.
 */
export class DocumentLifecycle implements Extension {
  readonly extensionName = 'copycloud-document-lifecycle';
  readonly priority = 2000;
  private readonly states = new Map<string, DocumentState>();
  private instance: Hocuspocus | undefined;

  constructor(
    registry: Registry,
    private readonly logger: Logger,
  ) {
    const states = this.states;
    new Gauge({
      name: 'copycloud_sync_documents_by_state',
      help: 'Documents on this node by lifecycle state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const counts: Record<DocumentState, number> = { loading: 0, active: 0, unloading: 0 };
        for (const state of states.values()) counts[state] += 1;
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
  }

  state(documentName: string): DocumentState | undefined {
    return this.states.get(documentName);
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  async onLoadDocument({ documentName }: { documentName: string }): Promise<void> {
    const previous = this.states.get(documentName);
    if (previous === 'unloading') this.logger.debug({ documentName }, 'document reloading while its previous copy unloads');
    this.states.set(documentName, 'loading');
  }

  async afterLoadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.states.set(documentName, 'active');
  }

  /** An unload that found a new connection during its flush is abandoned: the copy is active again. */
  async connected({ documentName }: { documentName: string }): Promise<void> {
    if (this.states.get(documentName) === 'unloading') this.states.set(documentName, 'active');
  }

  async beforeUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    if (this.states.get(documentName) === 'active') this.states.set(documentName, 'unloading');
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    // A newer copy may be loading or loaded already: leave its state alone.
    if (this.instance?.loadingDocuments.has(documentName) || this.instance?.documents.has(documentName)) {
      if (this.states.get(documentName) === 'unloading') this.states.set(documentName, 'active');
      return;
    }
    this.states.delete(documentName);
  }
}
