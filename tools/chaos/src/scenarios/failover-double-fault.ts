import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Failover double fault: the author types on n1 while a co-author types on n2
 * in the same document (so n2 holds n1's edits, received over Redis, and
 * commits its own). n1 is SIGKILLed right after publishing edits it may not
 * have committed yet; the author reconnects to n2; n2 is SIGKILLed within 3 s.
 * Later both restart. Every edit either node acknowledged must be in Postgres.
 *
 * STORE_BATCH_MS is 50 here (a deployment may set up to 1000): the window
 * between publishing an update and committing it is what this fault aims at.
 */
export const failoverDoubleFault = faultScenario({
  name: 'failover-double-fault',
  cluster: { storeBatchMs: 50 },
  workload: { documents: 2, writersPerDocument: 2, intervalMs: 15 },
  async nemesis({ cluster, workload, random, quick, fault, log }) {
    const [n1, n2] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const rounds = quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      // The author's node dies first: whoever is on n1 moves to n2.
      log(`round ${round + 1}: SIGKILL n1 (author's node)`);
      await n1.process.stop('SIGKILL');
      fault('SIGKILL n1');
      const movedAt = Date.now();
      workload.failover();
      const authors = workload.writers.filter((w) => w.moves > 0 && w.node === n2);
      // ...and the survivor dies within 3 s of their reconnect.
      await sleep(between(random, 800, 2500));
      log(`SIGKILL n2 ${Date.now() - movedAt} ms after ${authors.length} author(s) moved to it`);
      await n2.process.stop('SIGKILL');
      fault('SIGKILL n2');
      await sleep(between(random, 500, 1500));
      if (round < rounds - 1) {
        // Both come back (the checker's heal does this after the last round).
        await Promise.all([n1.process.start(), n2.process.start()]);
        for (const w of workload.writers) if (w.connection) w.connect(w.node.alive ? w.node : n1);
        await workload.waitSynced().catch(() => {});
        await sleep(between(random, 1500, 3000));
      }
    }
  },
});
