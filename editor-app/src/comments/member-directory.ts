import type { MentionCandidate } from './mention-picker.js';

/** How long a loaded member list is offered before it is fetched again (people join by link meanwhile). */
export const MEMBER_LIST_MAX_AGE_MS = 30_000;

/**
 * The document's members for @mentions, fetched when first needed (the first
 * `@` typed) from the auth API's members list and kept briefly. Only names
 * and ids; never oneself (a mention of oneself notifies nobody).
 */
export class MemberDirectory {
  private cached: { at: number; list: Promise<MentionCandidate[]> } | null = null;

  constructor(
    private readonly load: () => Promise<ReadonlyArray<{ userId: string; name: string }>>,
    private readonly selfId: () => string | null,
    private readonly now: () => number = Date.now,
  ) {}

  readonly candidates = (): Promise<MentionCandidate[]> => {
    if (!this.cached || this.now() - this.cached.at > MEMBER_LIST_MAX_AGE_MS) {
      const list = this.load().then((members) => members.filter((m) => m.userId !== this.selfId()).map((m) => ({ userId: m.userId, name: m.name })));
      // A failed load is not kept: the next `@` tries again.
      list.catch(() => {
        if (this.cached?.list === list) this.cached = null;
      });
      this.cached = { at: this.now(), list };
    }
    return this.cached.list;
  };
}
