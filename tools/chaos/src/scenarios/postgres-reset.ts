import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Postgres connection reset: every connection between the nodes and Postgres
 * gets an RST, and for a while new ones are refused (a Postgres restart, a
 * failover of the database). Writers retry; nothing acknowledged is lost.
 */
export const postgresReset = faultScenario({
  name: 'postgres-reset',
  async nemesis({ rounds, cluster, random, quick, fault, log }) {
    const count = rounds(3, 20);
    for (let round = 0; round < count; round++) {
      const refuseMs = between(random, 500, 3000);
      const reset = cluster.pgProxy.resetAll();
      cluster.pgProxy.refuse();
      fault('postgres reset');
      log(`reset ${reset} Postgres connections, refusing new ones for ${refuseMs} ms`);
      await sleep(refuseMs);
      cluster.pgProxy.pass();
      await sleep(between(random, 1000, quick ? 2000 : 4000));
    }
  },
});
