import { join } from 'node:path';
import { spawnService as spawnServiceProcess, type SpawnedService } from '@copycloud/testing';
import { REPO_ROOT } from './tools.js';

export type RunningService = SpawnedService;

/** A service's real `main` in its own process, ready when it logs "listening". */
export function spawnService(name: string, main: string, env: Record<string, string>): Promise<RunningService> {
  return spawnServiceProcess({ name, main: join(REPO_ROOT, main), cwd: REPO_ROOT, env });
}

/** Metric names a /metrics page declares (TYPE lines), with histogram/summary series suffixes. */
export function exportedNames(metricsText: string): Set<string> {
  const names = new Set<string>();
  for (const line of metricsText.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      names.add(type[1]!);
      if (type[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(type[1]! + s);
      if (type[2] === 'summary') for (const s of ['_sum', '_count']) names.add(type[1]! + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}
