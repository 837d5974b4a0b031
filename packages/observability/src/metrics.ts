import { Histogram, Registry, collectDefaultMetrics, type Counter, type LabelValues } from 'prom-client';

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

/**
 * Creates each label set of a counter or histogram at zero. prom-client only
 * exports a labelled series after its first increment, so a fresh deployment's
 * dashboard would show "No data" (and rate-based alerts see nothing) instead of 0.
 */
export function initLabelSets<T extends string>(metric: Counter<T> | Histogram<T>, labelSets: readonly LabelValues<T>[]): void {
  for (const labels of labelSets) {
    if (metric instanceof Histogram) metric.zero(labels);
    else metric.inc(labels, 0);
  }
}

/** Every combination of the given label values: `{a: [1, 2], b: ['x']}` → `[{a: 1, b: 'x'}, {a: 2, b: 'x'}]`. */
export function labelCombinations<T extends string>(values: Record<T, readonly (string | number)[]>): LabelValues<T>[] {
  let sets: Record<string, string | number>[] = [{}];
  for (const [name, options] of Object.entries(values) as [string, readonly (string | number)[]][]) {
    sets = sets.flatMap((set) => options.map((option) => ({ ...set, [name]: option })));
  }
  return sets as LabelValues<T>[];
}
