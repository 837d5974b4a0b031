import type { Scenario } from '../scenario.js';
import { failoverDoubleFault } from './failover-double-fault.js';
import { scenario as hostileUpdates } from './hostile-updates.js';
import { postgresBlackhole } from './postgres-blackhole.js';
import { postgresReset } from './postgres-reset.js';
import { postgresSlow } from './postgres-slow.js';
import { redisRestart } from './redis-restart.js';
import { sigkill } from './sigkill.js';
import { sigtermDelayedLink } from './sigterm-delayed-link.js';
import { scenario as tiptapConvergence } from './tiptap-convergence.js';

/** Every scenario, in the order the runner runs them: the nemeses, then the fuzzers. */
export const scenarios: Scenario[] = [
  sigkill,
  failoverDoubleFault,
  sigtermDelayedLink,
  redisRestart,
  postgresReset,
  postgresBlackhole,
  postgresSlow,
  hostileUpdates,
  tiptapConvergence,
];

export function scenarioNamed(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario ${name}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  return found;
}
