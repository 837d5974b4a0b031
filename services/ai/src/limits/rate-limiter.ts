/** Sliding-window length of the per-user request limit. */
export const RATE_WINDOW_MS = 60_000;
/** Users tracked before idle entries are swept, so the map cannot grow without bound. */
const SWEEP_AT_USERS = 10_000;

/**
 * Requests per user per minute, in this process. Several replicas each allow
 * the limit (the ingress spreads a user over them), so the effective limit is
 * per replica; the daily token quota, kept in Postgres, is the global bound.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limitPerWindow: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a request if allowed; otherwise returns the seconds until one is. */
  take(userId: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    if (this.hits.size > SWEEP_AT_USERS) this.sweep(now);
    const recent = (this.hits.get(userId) ?? []).filter((t) => t > now - RATE_WINDOW_MS);
    if (recent.length >= this.limitPerWindow) {
      this.hits.set(userId, recent);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + RATE_WINDOW_MS - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(userId, recent);
    return { allowed: true };
  }

  private sweep(now: number): void {
    for (const [user, times] of this.hits) if (!times.some((t) => t > now - RATE_WINDOW_MS)) this.hits.delete(user);
  }
}
