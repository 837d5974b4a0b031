import { Hono } from 'hono';
import type { Registry } from 'prom-client';

/** One dependency check for /readyz: resolves when reachable, rejects with why not. */
export type ReadinessCheck = () => Promise<void>;

export interface OpsRoutesOptions {
  registries: () => Registry[];
  checks: Record<string, ReadinessCheck>;
  /** False once shutdown began: /readyz fails so load balancers stop routing here. */
  accepting: () => boolean;
  /** Upper bound for one check, so a hung dependency makes /readyz fail, not hang. */
  checkTimeoutMs?: number;
}

/** `GET /healthz`, `GET /readyz`, `GET /metrics`, identical for every service. */
export function opsRoutes(options: OpsRoutesOptions): Hono {
  const app = new Hono();
  const timeoutMs = options.checkTimeoutMs ?? 2_000;

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    if (!options.accepting()) return c.json({ status: 'draining' }, 503);
    const results: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          results[name] = 'ok';
        } catch (error) {
          ready = false;
          results[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    return c.json({ status: ready ? 'ready' : 'unavailable', checks: results }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const registries = options.registries();
    const bodies = await Promise.all(registries.map((r) => r.metrics()));
    return c.body(bodies.join('\n'), 200, { 'content-type': registries[0]?.contentType ?? 'text/plain; version=0.0.4' });
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} check timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
