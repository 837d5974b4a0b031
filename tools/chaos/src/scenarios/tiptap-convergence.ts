/**
 * Seeded convergence fuzz on the real editor schema: several peers (Y.Docs
 * behind real Hocuspocus providers) spread over two real sync node processes
 * that share Postgres and Redis edit the `default` XmlFragment the way the
 * editor does — ProseMirror transactions on the Copycloud schema (typing,
 * deletions, splits, joins, lists, headings, bold/italic/link, blockquotes,
 * hard breaks) written back with y-tiptap's updateYFragment — while peers go
 * offline (provider gone, doc kept, edits continue) and come back, possibly
 * on the other node.
 *
 * Deterministic for a seed: edits happen in rounds; within a round every
 * peer edits synchronously (no network event can interleave), and between
 * rounds the scenario waits until every online peer has the same state
 * (state vector and delete set). Client ids come from the seed too, so the
 * final content (its hash is in the notes) is the same on every run.
 *
 * Checked at every round and at the end: the merged content is valid for the
 * schema (ProseMirror node.check() on the node built from the fragment
 * without y-tiptap's repairs); at the end, after every peer's edits are
 * acknowledged as saved: every peer, a fresh client on each node and
 * Postgres (loadMerged) are identical.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { Node as PMNode } from '@tiptap/pm/model';
import { DOCUMENT_FIELD, documentSchema } from '@copycloud/schema';
import type { Scenario, ScenarioContext, ScenarioResult } from '../scenario.js';
import { Peer, docFromUpdate, freshReplica, nodeComplaints, startCluster, until, type FuzzCluster, type FuzzNode } from '../fuzz/cluster.js';
import { editYDoc, fragmentJSON, type EditKind } from '../fuzz/pm-edits.js';
import { between, streamFor, type Random } from '../harness/random.js';

const NAME = 'tiptap-convergence';
const PEERS = 4;

/** State vector and delete set: equal iff two replicas integrated the same operations. */
export function replicaFingerprint(doc: Y.Doc): string {
  return Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('base64');
}

/** Null if the fragment is valid for the editor schema, else why not. */
export function schemaProblem(doc: Y.Doc): string | null {
  const json = fragmentJSON(doc, DOCUMENT_FIELD) as { content?: unknown[] };
  if (!json.content || json.content.length === 0) return null; // an empty editor
  try {
    PMNode.fromJSON(documentSchema(), json).check();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function contentHash(doc: Y.Doc): string {
  return createHash('sha256').update(JSON.stringify(fragmentJSON(doc, DOCUMENT_FIELD))).digest('hex').slice(0, 12);
}

/** Who goes offline or comes back (to which node) at the start of a round. */
export interface Connectivity {
  goOffline: number[];
  goOnline: Array<{ peer: number; node: number }>;
}

/**
 * Decided before the round's edits and applied by the caller before they
 * happen, so an edit is never racing its own provider's teardown.
 */
export function planConnectivity(online: boolean[], random: Random, nodes: number): Connectivity {
  const plan: Connectivity = { goOffline: [], goOnline: [] };
  let offline = online.filter((o) => !o).length;
  for (let peer = 0; peer < online.length; peer++) {
    const roll = random();
    if (online[peer] && roll < 0.04 && offline < online.length - 2) {
      plan.goOffline.push(peer);
      offline += 1;
    } else if (!online[peer] && roll < 0.2) {
      plan.goOnline.push({ peer, node: between(random, 0, nodes - 1) });
    }
  }
  return plan;
}

/** One round of edits on every peer's doc, synchronously (no network event can interleave). */
export function playRound(docs: Y.Doc[], random: Random): Array<{ peer: number; kind: EditKind | null }> {
  const schema = documentSchema();
  const edits: Array<{ peer: number; kind: EditKind | null }> = [];
  for (let peer = 0; peer < docs.length; peer++) {
    const count = between(random, 1, 3);
    for (let i = 0; i < count; i++) {
      let kind: EditKind | null = null;
      for (let attempt = 0; attempt < 4 && kind === null; attempt++) kind = editYDoc(docs[peer]!, DOCUMENT_FIELD, schema, random);
      edits.push({ peer, kind });
    }
  }
  return edits;
}

async function replicasOf(cluster: FuzzCluster, documentName: string, peers: Peer[]): Promise<Array<{ name: string; doc: Y.Doc | null; error?: string }>> {
  const replicas: Array<{ name: string; doc: Y.Doc | null; error?: string }> = peers.map((p) => ({ name: p.name, doc: p.doc }));
  for (const node of cluster.nodes) replicas.push({ name: `fresh client on ${node.name}`, doc: node.alive() ? await freshReplica(node.syncUrl, documentName, 10_000) : null });
  try {
    const stored = await cluster.loadStored(documentName);
    replicas.push({ name: 'postgres', doc: stored ? docFromUpdate(stored) : null, ...(stored ? {} : { error: 'no such document' }) });
  } catch (error) {
    replicas.push({ name: 'postgres', doc: null, error: (error as Error).message });
  }
  return replicas;
}

export async function runTiptapConvergence(context: ScenarioContext): Promise<ScenarioResult> {
  const started = Date.now();
  const random = streamFor(context.seed, NAME);
  const rounds = Number(process.env.CHAOS_FUZZ_ROUNDS ?? (context.quick ? 150 : 600));
  const cluster = await startCluster({ name: 'tiptap', nodes: 2, redis: true, log: context.log });
  const nodes = cluster.nodes as FuzzNode[];
  const documentName = `tiptap-${context.seed >>> 0}-${Date.now().toString(36)}`;
  const peers: Peer[] = [];
  const usedIds = new Set<number>();
  for (let i = 0; i < PEERS; i++) {
    const doc = new Y.Doc();
    let id = between(random, 1, 2 ** 32 - 1);
    while (usedIds.has(id)) id = between(random, 1, 2 ** 32 - 1);
    usedIds.add(id);
    doc.clientID = id;
    peers.push(new Peer(`peer ${i + 1}`, doc, documentName));
  }
  const notes: string[] = [];
  const kinds = new Map<string, number>();
  let edits = 0;
  let invalidRounds = 0;
  let firstInvalid: string | null = null;
  let stalled: string | null = null;
  let offlineTrips = 0;
  try {
    peers.forEach((peer, i) => peer.goOnline(nodes[i % nodes.length]!.syncUrl));
    if (!(await until(() => peers.every((p) => p.synced), 15_000))) throw new Error('peers could not connect');
    context.log(`${NAME}: ${PEERS} peers on ${nodes.length} nodes, ${rounds} rounds (seed ${context.seed})`);

    /** Every online peer has integrated the same operations (and nothing is in flight). */
    const settled = () => {
      const online = peers.filter((p) => p.online);
      if (!online.every((p) => p.synced)) return false;
      const first = replicaFingerprint(online[0]!.doc);
      return online.every((p) => replicaFingerprint(p.doc) === first);
    };

    for (let round = 0; round < rounds; round++) {
      const connectivity = planConnectivity(
        peers.map((p) => p.online),
        random,
        nodes.length,
      );
      for (const peer of connectivity.goOffline) {
        peers[peer]!.goOffline();
        offlineTrips += 1;
      }
      for (const { peer, node } of connectivity.goOnline) peers[peer]!.goOnline(nodes[node]!.syncUrl);
      for (const edit of playRound(
        peers.map((p) => p.doc),
        random,
      )) {
        if (!edit.kind) continue;
        edits += 1;
        kinds.set(edit.kind, (kinds.get(edit.kind) ?? 0) + 1);
      }
      if (!(await until(settled, 20_000, 5))) {
        stalled = `round ${round}: online peers did not agree within 20 s`;
        break;
      }
      const online = peers.find((p) => p.online)!;
      const problem = schemaProblem(online.doc);
      if (problem) {
        invalidRounds += 1;
        firstInvalid ??= `round ${round}: ${problem}`;
      }
      if (round > 0 && round % 50 === 0) context.log(`${NAME}: round ${round}, ${edits} edits, ${peers.filter((p) => !p.online).length} offline`);
    }
    const editsEnded = Date.now();

    // Everyone back online; every peer's edits acknowledged as saved; then compare every replica.
    peers.forEach((peer, i) => {
      if (!peer.online) peer.goOnline(nodes[i % nodes.length]!.syncUrl);
    });
    const allSettled = await until(settled, 20_000, 10);
    const allAcked = await until(() => peers.every((p) => p.ackedClock >= p.ownClock), 20_000);
    let convergeMs: number | null = null;
    const agree = async () => {
      const replicas = await replicasOf(cluster, documentName, peers);
      const first = replicaFingerprint(peers[0]!.doc);
      const json = JSON.stringify(fragmentJSON(peers[0]!.doc, DOCUMENT_FIELD));
      return replicas.every((r) => r.doc && replicaFingerprint(r.doc) === first && JSON.stringify(fragmentJSON(r.doc, DOCUMENT_FIELD)) === json);
    };
    if (allSettled && (await until(agree, 15_000, 200))) convergeMs = Date.now() - editsEnded;

    const replicas = await replicasOf(cluster, documentName, peers);
    const reference = peers[0]!.doc;
    const referenceFingerprint = replicaFingerprint(reference);
    const referenceJson = JSON.stringify(fragmentJSON(reference, DOCUMENT_FIELD));
    const problems: string[] = [];
    let broken = 0;
    for (const replica of replicas) {
      if (!replica.doc) {
        broken += 1;
        problems.push(`${replica.name}: ${replica.error ?? 'did not sync'}`);
      } else if (replicaFingerprint(replica.doc) !== referenceFingerprint) {
        broken += 1;
        problems.push(`${replica.name}: state vector / delete set differs from ${peers[0]!.name}'s`);
      } else if (JSON.stringify(fragmentJSON(replica.doc, DOCUMENT_FIELD)) !== referenceJson) {
        broken += 1;
        problems.push(`${replica.name}: same operations, different content (${firstDifference(referenceJson, JSON.stringify(fragmentJSON(replica.doc, DOCUMENT_FIELD)))})`);
      }
    }
    const finalProblem = schemaProblem(reference);
    if (finalProblem) {
      broken += 1;
      problems.push(`merged content invalid for the schema: ${finalProblem}`);
    }
    if (stalled) {
      broken += 1;
      problems.push(stalled);
    }
    for (const node of nodes) {
      if (!node.alive()) {
        broken += 1;
        problems.push(`${node.name} died (${node.exit()}): ${nodeComplaints(node, 3).join(' | ')}`);
      }
    }
    // Lost: a peer's acknowledged clock that Postgres does not cover.
    const stored = replicas.find((r) => r.name === 'postgres')?.doc;
    let lost = 0;
    if (stored) {
      const storedSv = Y.decodeStateVector(Y.encodeStateVector(stored));
      for (const peer of peers) {
        if ((storedSv.get(peer.doc.clientID) ?? 0) < peer.ackedClock) {
          lost += 1;
          problems.push(`${peer.name}: acknowledged up to clock ${peer.ackedClock}, Postgres has ${storedSv.get(peer.doc.clientID) ?? 0}`);
        }
      }
    }
    if (!allAcked) {
      // Not lost (nothing acknowledged is missing) but an author left thinking its edits are unsaved.
      const storedSv = stored ? Y.decodeStateVector(Y.encodeStateVector(stored)) : new Map<number, number>();
      const unacked = peers.filter((p) => p.ackedClock < p.ownClock);
      problems.push(
        `no "saved" ack within 20 s for: ${unacked
          .map((p) => `${p.name} on ${p.url.split(':')[2]?.split('/')[0] ?? '?'} (acked clock ${p.ackedClock} of ${p.ownClock}, Postgres has ${storedSv.get(p.doc.clientID) ?? 0}; ${p.acks} acks, ${p.closeCodes.length} closes)`)
          .join(', ')}`,
      );
    }

    notes.push(`${edits} edits in ${rounds} rounds by ${PEERS} peers (${[...kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}); offline trips ${offlineTrips}`);
    notes.push(`content hash ${contentHash(reference)} (same seed, same hash)`);
    notes.push(`schema-invalid merged states: ${invalidRounds} of ${rounds} rounds${firstInvalid ? ` (first: ${firstInvalid})` : ''}`);
    if (problems.length) notes.push(...problems);
    context.log(`${NAME}: done in ${Math.round((Date.now() - started) / 1000)} s`);
    return {
      faults: `${offlineTrips} offline/online trips, ${PEERS} peers over 2 nodes`,
      acknowledged: edits,
      lost,
      broken,
      convergeMs,
      notes: notes.join('; '),
    };
  } finally {
    for (const peer of peers) peer.destroy();
    await cluster.stop();
  }
}

export const scenario: Scenario = { name: NAME, run: runTiptapConvergence };

/** Where two JSON texts first differ, with a little context on each side: enough to tell a mark from a word. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `at ${i}: …${a.slice(from, i + 60)}… vs …${b.slice(from, i + 60)}…`;
}
