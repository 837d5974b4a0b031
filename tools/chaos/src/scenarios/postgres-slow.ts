import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Slow Postgres: 50–250 ms added to every packet each way between the nodes
 * and Postgres, changing while writers type. Acknowledgements slow down;
 * none may be premature.
 */
export const postgresSlow = faultScenario({
  name: 'postgres-slow',
  async nemesis({ rounds, cluster, random, quick, fault, log }) {
    const count = rounds(3, 40);
    for (let step = 0; step < count; step++) {
      cluster.pgProxy.latencyMs = between(random, 50, 250);
      fault('postgres latency');
      log(`Postgres latency ${cluster.pgProxy.latencyMs} ms each way`);
      await sleep(between(random, 1500, 3000));
    }
    cluster.pgProxy.latencyMs = 0;
  },
});
