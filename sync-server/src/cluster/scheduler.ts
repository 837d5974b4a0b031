/**
 * The clock and timers of the cluster protocol (outbox flushes, durable
 * notices, digests, takeovers), injectable so protocol tests step time by
 * hand (`ManualScheduler`) instead of sleeping.
 */
export interface ClusterScheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `run` once this event-loop turn's other work is done. */
  defer(run: () => void): void;
  /** Runs `run` once after `ms`; returns a cancel function. */
  after(ms: number, run: () => void): () => void;
  /** Runs `run` every `ms` without keeping the process alive; returns a cancel function. */
  every(ms: number, run: () => void): () => void;
}

export const realScheduler: ClusterScheduler = {
  now: () => Date.now(),
  defer: (run) => {
    setImmediate(run);
  },
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
  every: (ms, run) => {
    const timer = setInterval(run, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  run: () => void;
  /** Set for `every`. */
  period?: number;
}

/**
 * Time that moves only when a test says so: `runDeferred()` runs what was
 * deferred (the end of a turn), `advance(ms)` fires the timers due in that
 * span, earliest first (ties in creation order), with `now()` at each one's
 * due time.
 */
export class ManualScheduler implements ClusterScheduler {
  private time: number;
  private deferred: Array<() => void> = [];
  private timers: ManualTimer[] = [];
  private nextId = 0;

  constructor(startMs = 1_000_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  defer(run: () => void): void {
    this.deferred.push(run);
  }

  after(ms: number, run: () => void): () => void {
    return this.add({ id: this.nextId++, at: this.time + ms, run });
  }

  every(ms: number, run: () => void): () => void {
    if (ms <= 0) throw new Error(`ManualScheduler.every: period must be positive, got ${ms}`);
    return this.add({ id: this.nextId++, at: this.time + ms, run, period: ms });
  }

  /** Runs deferred work, including work deferred meanwhile. Returns how many ran. */
  runDeferred(): number {
    let count = 0;
    while (this.deferred.length > 0) {
      const batch = this.deferred;
      this.deferred = [];
      for (const run of batch) run();
      count += batch.length;
    }
    return count;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.time = due.at;
      if (due.period === undefined) this.timers = this.timers.filter((timer) => timer !== due);
      else due.at += due.period;
      due.run();
    }
    this.time = end;
  }

  private add(timer: ManualTimer): () => void {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
    };
  }
}
