import type { Logger } from '@copycloud/observability';

export type ShutdownStep = { name: string; run: () => Promise<void> };

/**
 * Runs shutdown steps in order (stop accepting, drain, flush, close clients)
 * under a force-quit timeout, once, on SIGTERM or SIGINT. Exit code 0 when
 * every step finished in time, 1 otherwise.
 *
 * An unhandled rejection or uncaught exception is a bug, never a reason to
 * die silently with work in memory: it is logged and leads to the same
 * ordered shutdown (flushing what can be flushed), ending with exit code 1.
 */
export function installShutdown(options: {
  logger: Logger;
  steps: ShutdownStep[];
  timeoutMs: number;
  exit?: (code: number) => void;
}): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;
  let crashed = false;
  const shutdown = () => {
    running ??= (async () => {
      const timer = setTimeout(() => {
        options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out; forcing exit');
        exit(1);
      }, options.timeoutMs);
      timer.unref();
      let failed = false;
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          failed = true;
          options.logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      options.logger.info('shutdown complete');
      exit(failed || crashed ? 1 : 0);
    })();
    return running;
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  const crash = (kind: string) => (error: unknown) => {
    crashed = true;
    options.logger.fatal({ err: error }, `${kind}: shutting down in order`);
    void shutdown();
  };
  process.on('unhandledRejection', crash('unhandled rejection'));
  process.on('uncaughtException', crash('uncaught exception'));
  return shutdown;
}
