/**
 * Retries `assertion` until it stops throwing (or returns true), or fails with
 * the last error after `timeoutMs`. Tests wait on state, never on sleeps; the
 * timeout only bounds a hang, it is not what the test measures.
 */
export async function waitFor<T>(
  assertion: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await assertion();
      if (result !== false) return result;
      lastError = new Error('condition returned false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${options.message ?? 'waitFor'} timed out after ${timeoutMs} ms: ${detail}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves when `emitter` emits `event` (first argument), with a bound on the wait. */
export function once<T = unknown>(
  emitter: { once(event: string, listener: (value: T) => void): unknown },
  event: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' event within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
