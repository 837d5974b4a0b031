import { faultScenario } from '../harness/fault-scenario.js';
import { between, pick, sleep } from '../harness/random.js';

/**
 * SIGKILL of the node that took the edits: a node with writers on it dies
 * without a word; its writers move to the survivor and keep typing; the node
 * comes back. Everything it acknowledged must already be in Postgres.
 */
export const sigkill = faultScenario({
  name: 'sigkill',
  async nemesis({ rounds, cluster, workload, random, quick, fault, log }) {
    const count = rounds(2, 15);
    for (let round = 0; round < count; round++) {
      const busy = cluster.liveNodes().filter((n) => workload.writers.some((w) => w.node === n));
      const victim = pick(random, busy.length ? busy : cluster.liveNodes());
      log(`SIGKILL ${victim.id}`);
      await victim.process.stop('SIGKILL');
      fault(`SIGKILL ${victim.id}`);
      await sleep(between(random, 1500, 3000));
      await victim.process.start();
      await sleep(between(random, 1000, quick ? 2000 : 4000));
    }
  },
});
