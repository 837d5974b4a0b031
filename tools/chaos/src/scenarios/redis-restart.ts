import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Redis restart: the fan-out between the nodes goes away (SIGKILL, no state
 * kept) and comes back empty. Nodes keep serving their own clients and must
 * reconverge (anti-entropy) without losing an acknowledged edit.
 */
export const redisRestart = faultScenario({
  name: 'redis-restart',
  async nemesis({ rounds, cluster, random, quick, fault, log }) {
    const count = rounds(2, 15);
    for (let round = 0; round < count; round++) {
      const downMs = between(random, 1000, 3000);
      log(`redis down for ${downMs} ms`);
      await cluster.redis.restart(downMs);
      fault('redis restart');
      await sleep(between(random, 1500, quick ? 2500 : 5000));
    }
  },
});
