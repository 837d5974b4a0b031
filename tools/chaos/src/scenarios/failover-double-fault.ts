import * as Y from 'yjs';
import { faultScenario } from '../harness/fault-scenario.js';
import { between, pick, sleep } from '../harness/random.js';
import type { Writer } from '../harness/workload.js';

/**
 * Failover double fault: an author types on n1 while a co-author types on n2
 * in the same document (so n2 holds n1's edits, received over Redis, and
 * commits its own). The moment n2's side sees a new edit of the author's —
 * n1 has published it, and likely not committed it yet — n1 is SIGKILLed.
 * The author reconnects to n2; n2 is SIGKILLed within 3 s. Later both
 * restart. Every edit either node acknowledged must be in Postgres, whether
 * or not its author ever comes back.
 */
export const failoverDoubleFault = faultScenario({
  name: 'failover-double-fault',
  workload: { intervalMs: 15 },
  async nemesis({ rounds, cluster, workload, random, fault, log }) {
    const [n1, n2] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const count = rounds(2, 12);
    for (let round = 0; round < count; round++) {
      await sleep(between(random, 300, 1200));
      const pairs = workload.writers.flatMap((author) =>
        author.node === n1 ? workload.writers.filter((w) => w.node === n2 && w.documentName === author.documentName).map((witness) => [author, witness] as const) : [],
      );
      if (pairs.length === 0) throw new Error('no author on n1 with a co-author on n2');
      const [author, witness] = pick(random, pairs);
      const seen = await published(author, witness, 5000);
      log(`round ${round + 1}: ${witness.id} on n2 ${seen ? 'saw a new edit of' : 'saw nothing new from'} ${author.id}: SIGKILL n1 now`);
      await n1.process.stop('SIGKILL');
      fault('SIGKILL n1');
      const movedAt = Date.now();
      workload.failover();
      // ...and the survivor dies within 3 s of the authors' reconnect.
      await sleep(between(random, 500, 2500));
      const moved = workload.writers.filter((w) => w.home === n1 && w.node === n2).length;
      log(`SIGKILL n2 ${Date.now() - movedAt} ms after ${moved} author(s) moved to it`);
      await n2.process.stop('SIGKILL');
      fault('SIGKILL n2');
      await sleep(between(random, 500, 1500));
      if (round < count - 1) {
        // Both come back and everyone goes home (after the last round the checker heals).
        await Promise.all([n1.process.start(), n2.process.start()]);
        for (const w of workload.writers) if (w.connection) w.connect(w.home);
        await workload.waitSynced().catch(() => {});
      }
    }
  },
});

/** Resolves when `witness` receives an edit of `author` it did not have (true), or after `timeoutMs` (false). */
function published(author: Writer, witness: Writer, timeoutMs: number): Promise<boolean> {
  const client = author.doc.clientID;
  const before = Y.getState(witness.doc.store, client);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onUpdate = () => {
      if (Y.getState(witness.doc.store, client) > before) finish(true);
    };
    const finish = (seen: boolean) => {
      clearTimeout(timer);
      witness.doc.off('update', onUpdate);
      resolve(seen);
    };
    witness.doc.on('update', onUpdate);
  });
}
