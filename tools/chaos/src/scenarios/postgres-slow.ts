import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Slow Postgres: 50–250 ms added to every packet each way between the nodes
 * and Postgres, changing while writers type. Acknowledgements slow down;
 * none may be premature.
 */
export const postgresSlow = faultScenario({
  name: 'postgres-slow',
  async nemesis({ cluster, random, quick, fault, log }) {
    const steps = quick ? 3 : 8;
    for (let step = 0; step < steps; step++) {
      cluster.pgProxy.latencyMs = between(random, 50, 250);
      fault('postgres latency');
      log(`Postgres latency ${cluster.pgProxy.latencyMs} ms each way`);
      await sleep(between(random, 1500, 3000));
    }
    cluster.pgProxy.latencyMs = 0;
  },
});
