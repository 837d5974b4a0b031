import { format } from 'node:util';
import type { Logger } from 'pino';

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error' | 'trace';
type Level = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_OF: Record<ConsoleMethod, Level> = { log: 'info', info: 'info', debug: 'debug', trace: 'debug', warn: 'warn', error: 'error' };

/**
 * Hocuspocus prints `console.error('[onAuthenticate]', message)` whenever a
 * hook throws. Our extensions throw on purpose (a refused token, a closed
 * document) and log each refusal themselves with the document and socket ids,
 * so these lines are repeats: they go to debug.
 */
const HOOK_FAILURE = /^\[on[A-Z]\w*\] /;

/**
 * Sends everything written through `console.*` to `logger` as JSON lines
 * (`source: "console"`), so a process's stdout and stderr are only pino lines.
 * Libraries that print with console (Hocuspocus: hook failures, socket errors)
 * would otherwise interleave plain text with the JSON logs. Call once, in a
 * process's main; returns a function restoring the original methods.
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  const target = logger.child({ source: 'console' });
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  for (const method of Object.keys(LEVEL_OF) as ConsoleMethod[]) {
    originals.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      const error = args.find((a): a is Error => a instanceof Error);
      const rest = error ? args.filter((a) => a !== error) : args;
      const message = rest.length ? format(...rest) : error?.message ?? '';
      if (!message && !error) return; // Hocuspocus' blank banner lines
      const level = HOOK_FAILURE.test(message) ? 'debug' : LEVEL_OF[method];
      if (error) target[level]({ err: error }, message);
      else target[level](message);
    };
  }
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}
