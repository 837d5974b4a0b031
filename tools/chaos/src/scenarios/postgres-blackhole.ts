import { faultScenario } from '../harness/fault-scenario.js';
import { between, sleep } from '../harness/random.js';

/**
 * Postgres blackhole: the network holds packets for ~10 s (no reset, no
 * close: a partition). Writers should hear "storage-error" within a few
 * seconds (statement/connect timeouts), /readyz should answer (not hang), and
 * after the partition heals everything pending commits.
 */
export const postgresBlackhole = faultScenario({
  name: 'postgres-blackhole',
  async nemesis({ rounds, cluster, workload, random, quick, fault, log, note }) {
    const count = rounds(1, 6);
    const seen: string[] = [];
    for (let round = 0; round < count; round++) {
      const holdMs = between(random, 9000, 11000);
      const errorsBefore = workload.storageErrors();
      const started = Date.now();
      let firstError: number | null = null;
      const watch = setInterval(() => {
        if (firstError === null && workload.storageErrors() > errorsBefore) firstError = Date.now() - started;
      }, 100);
      cluster.pgProxy.blackhole();
      fault('postgres blackhole');
      log(`Postgres packets held for ${holdMs} ms`);
      await sleep(Math.min(4000, holdMs / 2));
      const readiness = await Promise.all(cluster.liveNodes().map(async (n) => `${n.id} ${await probeReady(n.process.port, 3000)}`));
      await sleep(holdMs - (Date.now() - started));
      clearInterval(watch);
      cluster.pgProxy.pass();
      seen.push(`${holdMs} ms hold: first storage-error ${firstError === null ? 'never' : `after ${firstError} ms`}, /readyz ${readiness.join(' ')}`);
      await sleep(between(random, 1500, quick ? 2500 : 5000));
    }
    note(seen.join('; '));
  },
});

/** /readyz status, or "hung" if it does not answer within `timeoutMs`. */
async function probeReady(port: number | null, timeoutMs: number): Promise<string> {
  if (port === null) return 'down';
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    return String(response.status);
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? `hung >${timeoutMs} ms` : 'error';
  }
}
