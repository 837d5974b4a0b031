import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance (never prom-client's global one), so that
 * services mounted together in one process, or several nodes in one test, keep
 * their metrics apart. Default process metrics are opt-in: one per process.
 */
export function createMetricsRegistry(options: { service: string; processMetrics: boolean }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
