import type { Scenario } from '../scenario.js';
import { failoverDoubleFault } from './failover-double-fault.js';
import { postgresBlackhole } from './postgres-blackhole.js';
import { postgresReset } from './postgres-reset.js';
import { postgresSlow } from './postgres-slow.js';
import { redisRestart } from './redis-restart.js';
import { sigkill } from './sigkill.js';
import { sigtermDelayedLink } from './sigterm-delayed-link.js';

/** The nemesis scenarios, in the order the runner runs them. */
export const faultScenarios: Scenario[] = [
  sigkill,
  failoverDoubleFault,
  sigtermDelayedLink,
  redisRestart,
  postgresReset,
  postgresBlackhole,
  postgresSlow,
];

/** Scenarios written separately; loaded if their files exist. */
export const optionalScenarioModules = ['./hostile-updates.js', './tiptap-convergence.js'];
