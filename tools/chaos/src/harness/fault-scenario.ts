import * as Y from 'yjs';
import type { Scenario, ScenarioContext, ScenarioResult } from '../scenario.js';
import { checkDocument, loadFromPostgres, missingFromPostgres, type DocumentVerdict } from './checker.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { sleep, streamFor, type Random } from './random.js';
import { Connection, Workload, type TokenRecord, type WorkloadOptions } from './workload.js';

/** What a nemesis gets: the cluster, the running workload, its seeded stream, the run's options. */
export interface NemesisContext {
  cluster: Cluster;
  workload: Workload;
  random: Random;
  quick: boolean;
  /** How many times to repeat the fault: `quick` in a --quick run, `full` otherwise (~100 s of faults). */
  rounds(quick: number, full: number): number;
  log(message: string): void;
  /** Fault labels, counted for the table ("SIGKILL n1" ×2). */
  fault(label: string): void;
  /** Extra facts for the notes column. */
  note(text: string): void;
}

export interface FaultScenarioSpec {
  name: string;
  cluster?: Partial<Omit<ClusterOptions, 'label'>>;
  workload?: Partial<WorkloadOptions>;
  /** Typing before the first fault, ms. */
  warmupMs?: number;
  /** Injects the faults while the workload types; resolves when the last fault is over. */
  nemesis(context: NemesisContext): Promise<void>;
  /** Runs after the writers closed their tabs and before healing (e.g. read a node's exit code). */
  afterFaults?(context: NemesisContext): Promise<void>;
}

/**
 * The shape every fault scenario shares:
 *
 * 1. a cluster (2 nodes, Redis, Postgres behind a proxy) and writers typing;
 * 2. the nemesis injects its faults while they type;
 * 3. every writer "closes its tab" (disconnects; its Y.Doc is kept): from
 *    here on no author can resend anything, so what was acknowledged must
 *    survive on its own;
 * 4. heal (all proxies pass, Redis and every node up); acknowledged tokens
 *    must be in Postgres — counted as lost if not;
 * 5. writers reopen their tabs, a fresh client joins on every node, and the
 *    checker waits until every replica and Postgres are identical, then
 *    checks every acknowledged token is present exactly once everywhere.
 */
export function faultScenario(spec: FaultScenarioSpec): Scenario {
  return {
    name: spec.name,
    async run(context: ScenarioContext): Promise<ScenarioResult> {
      // Separate streams, so the fault schedule does not shift with how often
      // the (timing-dependent) workload drew a number before it.
      const random = streamFor(context.seed, `${spec.name}/nemesis`);
      const faults = new Map<string, number>();
      const notes: string[] = [];
      const cluster = await Cluster.start({ nodes: 2, ...spec.cluster, label: spec.name });
      const workload = new Workload(
        cluster,
        streamFor(context.seed, `${spec.name}/workload`),
        {
          documents: context.quick ? 2 : 3,
          writersPerDocument: context.quick ? 2 : 3,
          intervalMs: 25,
          autoFailover: true,
          ...spec.workload,
        },
        spec.name,
      );
      const fresh: Connection[] = [];
      const started = Date.now();
      const nemesis: NemesisContext = {
        cluster,
        workload,
        random,
        quick: context.quick,
        rounds: (quick, full) => (context.quick ? quick : full),
        log: (m) => context.log(`${spec.name} +${((Date.now() - started) / 1000).toFixed(2)}s: ${m}`),
        fault: (label) => faults.set(label, (faults.get(label) ?? 0) + 1),
        note: (text) => notes.push(text),
      };
      try {
        workload.connectAll();
        await workload.waitSynced();
        workload.start();
        await sleep(spec.warmupMs ?? (context.quick ? 1500 : 4000));
        await spec.nemesis(nemesis);

        // 3. Tabs close; what was acknowledged is fixed from here on.
        const acknowledged = freezeAcknowledged(workload);
        const ackCount = [...acknowledged.values()].reduce((sum, t) => sum + t.length, 0);
        const storageErrors = workload.storageErrors();
        if (spec.afterFaults) await spec.afterFaults(nemesis);
        const faultsEnded = Date.now();

        // 4. Heal; acknowledged edits must be in Postgres without the authors' help.
        await cluster.heal();
        // Checked at once (an acknowledged edit is committed by definition),
        // then again once the healed nodes have flushed what they still held:
        // what appears only then was acknowledged before it was durable.
        const atHeal = await missingFromPostgres(cluster.store, acknowledged);
        const durable = atHeal.missing.size || atHeal.pendingOn.size ? await settledPostgres(cluster, acknowledged) : atHeal;
        const lostInPostgres = new Map(durable.missing);
        const premature = [...atHeal.missing.values()].flat().filter((t) => ![...lostInPostgres.values()].flat().includes(t));
        for (const [document, on] of durable.pendingOn) {
          const waits = [...on]
            .map(([client, clock]) => {
              const writer = workload.writers.find((w) => w.doc.clientID === client);
              const ack = writer?.durable.get(client);
              return `client ${client}${writer ? ` (${writer.id}, home ${writer.home.id}, acknowledged up to clock ${ack ?? 0})` : ''} clock ${clock}`;
            })
            .join(', ');
          nemesis.log(`${document}: Postgres holds updates that cannot be applied: they build on ${waits}, which Postgres lacks`);
          if (lostInPostgres.has(document)) notes.push(`acknowledged updates stored but waiting on unstored ones: ${document.replace(/^chaos-.*-/, '')}`);
        }
        if (lostInPostgres.size) nemesis.log(`acknowledged but not in Postgres after heal:\n  ${describeLost(acknowledged, lostInPostgres, started).join('\n  ')}`);
        const prematureViolation = premature.length
          ? `${premature.length} acknowledged edit(s) reached Postgres only after the heal (acknowledged before durable): ${premature.slice(0, 5).join(' ')}`
          : null;
        if (prematureViolation) nemesis.log(prematureViolation);

        // 5. Reconnect, fresh replica per node, wait for convergence.
        workload.reconnectAll();
        for (const document of workload.documents) {
          for (const node of cluster.nodes) fresh.push(new Connection(node, document, new Y.Doc(), () => {}));
        }
        const timeoutMs = context.quick ? 30_000 : 60_000;
        const { verdicts, converged } = await converge(cluster, workload, fresh, acknowledged, timeoutMs);
        const convergeMs = converged ? Date.now() - faultsEnded : null;

        const lostTokens = new Set<string>();
        for (const tokens of lostInPostgres.values()) for (const t of tokens) lostTokens.add(t);
        for (const verdict of verdicts) for (const t of verdict.lost) lostTokens.add(t);
        const broken = verdicts.filter((v) => v.unloadable !== null || !v.identical);
        for (const v of broken) nemesis.log(`document ${v.document} broken: ${v.unloadable ?? v.difference}`);
        const duplicated = verdicts.reduce((sum, v) => sum + v.duplicated.length, 0);

        const violations: string[] = prematureViolation ? [prematureViolation] : [];
        for (const node of cluster.nodes) {
          for (const exit of node.process.unexpectedExits()) {
            const how = exit.signal === null ? `died on its own (code ${exit.code})` : `exited ${exit.code} after ${exit.signal}`;
            violations.push(`${exit.nodeId} ${how}`);
            nemesis.log(`${exit.nodeId} ${how}; last lines:\n  ${exit.tail.join('\n  ')}`);
          }
        }
        if (lostInPostgres.size > 0) notes.push(`not in Postgres after heal: ${[...lostInPostgres.values()].reduce((s, t) => s + t.length, 0)}`);
        if (duplicated) notes.push(`duplicated: ${duplicated}`);
        if (storageErrors) notes.push(`storage-error messages: ${storageErrors}`);
        notes.push(`appended ${workload.appended}`);
        notes.push(...violations);
        return {
          faults: [...faults].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ') || 'none',
          acknowledged: ackCount,
          lost: lostTokens.size,
          broken: broken.length,
          convergeMs,
          notes: notes.join('; '),
          ...(violations.length ? { violations } : {}),
        };
      } finally {
        for (const connection of fresh) connection.destroy();
        workload.destroy();
        await cluster.stop();
      }
    },
  };
}

/** Per document and acknowledging node: how many were lost, which, and when they were acknowledged. */
function describeLost(
  acknowledged: ReadonlyMap<string, readonly TokenRecord[]>,
  lost: ReadonlyMap<string, readonly string[]>,
  started: number,
): string[] {
  const lines: string[] = [];
  const at = (ms: number) => `+${((ms - started) / 1000).toFixed(2)}s`;
  for (const [document, tokens] of lost) {
    const records = new Map((acknowledged.get(document) ?? []).map((t) => [t.token, t]));
    const byNode = new Map<string, TokenRecord[]>();
    for (const token of tokens) {
      const record = records.get(token);
      if (!record) continue;
      const key = record.ackedBy?.node ?? '?';
      byNode.set(key, [...(byNode.get(key) ?? []), record]);
    }
    for (const [node, list] of byNode) {
      const times = list.map((t) => t.ackedBy?.at ?? started);
      const sinceConnect = list.map((t) => t.ackedBy?.msAfterConnect ?? 0);
      lines.push(
        `${document}: ${list.length} acknowledged by ${node} between ${at(Math.min(...times))} and ${at(Math.max(...times))} ` +
          `(${Math.min(...sinceConnect)}–${Math.max(...sinceConnect)} ms after the author's connection opened): ` +
          `${list.slice(0, 5).map((t) => t.token).join(' ')}${list.length > 5 ? ` … ${list[list.length - 1]!.token}` : ''}`,
      );
    }
  }
  return lines;
}

function freezeAcknowledged(workload: Workload): Map<string, TokenRecord[]> {
  workload.freeze();
  return workload.acknowledgedByDocument();
}

/** Waits until Postgres stops changing (the healed nodes flushed what they held), at most 10 s, then checks again. */
async function settledPostgres(
  cluster: Cluster,
  acknowledged: ReadonlyMap<string, readonly TokenRecord[]>,
): ReturnType<typeof missingFromPostgres> {
  const deadline = Date.now() + 10_000;
  let last = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const vectors: string[] = [];
    for (const document of acknowledged.keys()) {
      const loaded = await loadFromPostgres(cluster.store, document);
      vectors.push(loaded instanceof Uint8Array ? Buffer.from(Y.encodeStateVectorFromUpdate(loaded)).toString('hex') : String(loaded));
    }
    const now = vectors.join('|');
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 1500) break;
    await sleep(250);
  }
  return missingFromPostgres(cluster.store, acknowledged);
}

/** Polls until every document is identical on every replica and in Postgres, or the timeout. */
async function converge(
  cluster: Cluster,
  workload: Workload,
  fresh: readonly Connection[],
  acknowledged: ReadonlyMap<string, readonly TokenRecord[]>,
  timeoutMs: number,
): Promise<{ verdicts: DocumentVerdict[]; converged: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const synced = workload.writers.every((w) => w.connection?.synced) && fresh.every((c) => c.synced);
    const verdicts: DocumentVerdict[] = [];
    for (const document of workload.documents) {
      const replicas = [
        ...workload.writers.filter((w) => w.documentName === document).map((w) => ({ name: w.id, update: Y.encodeStateAsUpdate(w.doc) })),
        ...fresh.filter((c) => c.documentName === document).map((c) => ({ name: `fresh@${c.node.id}`, update: Y.encodeStateAsUpdate(c.doc) })),
      ];
      verdicts.push(
        checkDocument({
          document,
          acknowledged: acknowledged.get(document) ?? [],
          postgres: await loadFromPostgres(cluster.store, document),
          replicas,
        }),
      );
    }
    const converged = synced && verdicts.every((v) => v.identical && v.unloadable === null);
    if (converged || Date.now() > deadline) return { verdicts, converged };
    await sleep(200);
  }
}
