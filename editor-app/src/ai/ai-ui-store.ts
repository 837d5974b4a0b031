import type { AiStatus } from './ai-events.js';
import type { RewriteKind } from './ai-client.js';

/** What the AI UI shows besides the ghost text: availability, the last error, the rewrite preview. */
export type AiAvailability =
  | { readonly state: 'checking' }
  | { readonly state: 'unreachable'; readonly message: string }
  | { readonly state: 'ready'; readonly status: AiStatus };

export interface RewritePreview {
  readonly kind: RewriteKind;
  readonly original: string;
  readonly text: string;
  readonly phase: 'streaming' | 'done' | 'failed';
  readonly model: string | null;
  /** The length target of the block the selection starts in (COUNT6), if any: headline variants are measured against it. */
  readonly limit?: number | null;
}

export interface AiUiSnapshot {
  readonly availability: AiAvailability;
  /** A failure to show (nothing was inserted); cleared by the next request or by closing it. */
  readonly error: string | null;
  readonly rewrite: RewritePreview | null;
  /** The model of the last answer was the demo (fake) model. */
  readonly demo: boolean;
  /** Suggest after a pause in typing (this person's setting); off, only Ctrl+Space asks. */
  readonly autoSuggest: boolean;
  /** Where the ghost-text machine is (idle, waiting for a pause, requesting…): shown as a data attribute. */
  readonly ghostPhase: string;
}

/** A tiny external store for useSyncExternalStore: one snapshot object per change. */
export class AiUiStore {
  private snapshot: AiUiSnapshot = { availability: { state: 'checking' }, error: null, rewrite: null, demo: false, autoSuggest: true, ghostPhase: 'idle' };
  private readonly listeners = new Set<() => void>();

  update(change: Partial<AiUiSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  /** AI actions are offered only when the server says AI is configured. */
  get enabled(): boolean {
    const a = this.snapshot.availability;
    return a.state === 'ready' && a.status.configured;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): AiUiSnapshot => this.snapshot;
}
