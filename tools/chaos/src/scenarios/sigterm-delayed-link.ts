import { faultScenario } from '../harness/fault-scenario.js';
import { between, pick, sleep } from '../harness/random.js';

/**
 * SIGTERM while clients keep typing over a delayed link: every client's link
 * to its node has 80–200 ms of latency each way, so frames keep arriving while
 * the node drains. The node must exit 0 (ordered shutdown), never drop what it
 * acknowledged, and its writers move on to the other node.
 */
export const sigtermDelayedLink = faultScenario({
  name: 'sigterm-delayed-link',
  workload: { intervalMs: 15 },
  async nemesis({ rounds, cluster, random, quick, fault, log, note }) {
    for (const node of cluster.nodes) node.front.latencyMs = between(random, 80, 200);
    const count = rounds(2, 15);
    const exits: string[] = [];
    for (let round = 0; round < count; round++) {
      await sleep(between(random, 500, 1500));
      const victim = pick(random, cluster.liveNodes());
      log(`SIGTERM ${victim.id} (link latency ${victim.front.latencyMs} ms)`);
      const { code, ms } = await victim.process.stop('SIGTERM');
      fault(`SIGTERM ${victim.id}`);
      exits.push(`${victim.id}→${code} (${ms} ms)`);
      await sleep(between(random, 500, 1500));
      await victim.process.start();
      await sleep(between(random, 1000, 2500));
    }
    note(`SIGTERM exit codes: ${exits.join(', ')}`);
  },
});
