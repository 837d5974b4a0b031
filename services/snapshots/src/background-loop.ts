import type { Logger } from '@copycloud/observability';

/**
 * Runs `tick` every `intervalMs`, one at a time (a slow tick delays the next,
 * never overlaps it). `stop()` waits for a running tick to finish.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Runs one tick now (tests, benchmarks); waits for a running one first. */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.tick().finally(() => (this.running = undefined));
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running.catch(() => {});
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: error, loop: this.name }, 'background tick failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }
}
