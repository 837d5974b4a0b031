/**
 * Hostile-update fuzz (issue 10, item 3 and SAFE1): two real sync node
 * processes sharing Postgres and Redis; an honest writer keeps typing into a
 * document while an attacker opens raw WebSocket connections to it and sends
 * Yjs updates mutated structurally from valid ones (zero lengths, clocks at
 * 2^53, foreign client ids, bad delete sets, dangling or non-type parents,
 * origins in two parents, truncations, byte flips, the 15-byte killer).
 *
 * Checked at the end: every node process alive; every bad socket closed with
 * 4422 or 4400 (what else happened is counted, per mutation); the writer's
 * acknowledged tokens intact, by their Yjs ids, in the writer's doc, in a
 * fresh replica from each node and in Postgres (loadMerged), all of which
 * agree; the writer still got "saved" acks after the attack. If anything is
 * off, each mutation is replayed alone on a fresh document ("probe") to say
 * which one does what, with its bytes.
 */
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import type { Scenario, ScenarioContext, ScenarioResult } from '../scenario.js';
import { docFromUpdate, freshReplica, nodeComplaints, sleep, startCluster, stateVectorsEqual, uniqueName, until, type FuzzCluster, type FuzzNode } from '../fuzz/cluster.js';
import { HonestWriter, fragmentText, tokenDeleted, tokenIntact } from '../fuzz/honest-writer.js';
import { MUTATIONS, collectMaterial, makeAttack, IMPERSONATION, type Attack } from '../fuzz/mutations.js';
import { between, streamFor } from '../harness/random.js';
import { sendHostileUpdate, type AttackOutcome } from '../fuzz/raw-socket.js';
import { encodeUpdate, toHex } from '../fuzz/update-codec.js';
import { describeDivergence } from '../fuzz/divergence.js';

const NAME = 'hostile-updates';

interface Tally {
  closed4422: number;
  closed4400: number;
  /** Other close codes (1006 = connection dropped, e.g. the node died). */
  otherCodes: Map<number, number>;
  /** The node applied it and kept the socket open. */
  applied: number;
  /** No answer within the timeout (a wedged document answers nothing). */
  timeouts: number;
  refused: number;
}

const emptyTally = (): Tally => ({ closed4422: 0, closed4400: 0, otherCodes: new Map(), applied: 0, timeouts: 0, refused: 0 });

function count(tally: Tally, outcome: AttackOutcome): void {
  switch (outcome.kind) {
    case 'closed':
      if (outcome.code === 4422) tally.closed4422 += 1;
      else if (outcome.code === 4400) tally.closed4400 += 1;
      else tally.otherCodes.set(outcome.code, (tally.otherCodes.get(outcome.code) ?? 0) + 1);
      return;
    case 'applied':
      tally.applied += 1;
      return;
    case 'timeout':
      tally.timeouts += 1;
      return;
    case 'refused':
      tally.refused += 1;
  }
}

function describeOutcome(outcome: AttackOutcome): string {
  switch (outcome.kind) {
    case 'closed':
      return `closed ${outcome.code}`;
    case 'applied':
      return 'applied, socket left open';
    case 'timeout':
      return 'no answer';
    case 'refused':
      return `connection refused (${outcome.error})`;
  }
}

/** One replica's verdict against the writer. */
interface ReplicaCheck {
  name: string;
  problem: string | null;
  missingTokens: number[];
}

function checkReplica(name: string, doc: Y.Doc | null, writer: HonestWriter, ackedTokens: HonestWriter['tokens']): ReplicaCheck {
  if (!doc) return { name, problem: 'did not sync / did not load', missingTokens: ackedTokens.map((t) => t.index) };
  const missingTokens = ackedTokens.filter((token) => !tokenIntact(doc, token)).map((t) => t.index);
  let problem: string | null = null;
  if (!stateVectorsEqual(doc, writer.doc)) problem = 'state vector differs from the writer\'s';
  else if (fragmentText(doc) !== fragmentText(writer.doc)) {
    const why = describeDivergence(doc, writer.doc);
    problem = `content differs from the writer's${why.length ? ` (${why.join('; ')})` : ''}`;
  }
  return { name, problem, missingTokens };
}

async function gatherReplicas(cluster: FuzzCluster, documentName: string, writer: HonestWriter, timeoutMs: number): Promise<Array<{ name: string; doc: Y.Doc | null; error?: string }>> {
  const replicas: Array<{ name: string; doc: Y.Doc | null; error?: string }> = [{ name: 'writer', doc: writer.doc }];
  for (const node of cluster.nodes) {
    replicas.push({ name: `fresh client on ${node.name}`, doc: node.alive() ? await freshReplica(node.syncUrl, documentName, timeoutMs) : null });
  }
  try {
    const stored = await cluster.loadStored(documentName);
    replicas.push({ name: 'postgres', doc: stored ? docFromUpdate(stored) : null, ...(stored ? {} : { error: 'no such document' }) });
  } catch (error) {
    replicas.push({ name: 'postgres', doc: null, error: (error as Error).message });
  }
  return replicas;
}

/** Whether every replica has the writer's state and content. */
async function converged(cluster: FuzzCluster, documentName: string, writer: HonestWriter): Promise<boolean> {
  const replicas = await gatherReplicas(cluster, documentName, writer, 3000);
  return replicas.every((r) => r.doc && stateVectorsEqual(r.doc, writer.doc) && fragmentText(r.doc) === fragmentText(writer.doc));
}

interface ProbeFinding {
  mutation: string;
  hex: string;
  outcome: string;
  effects: string[];
}

/**
 * Each mutation alone on a fresh document: what the node answered and what
 * it did to the document (acks stop, new clients refused, stored state
 * unloadable, replicas differ, node dead).
 */
async function probeEachMutation(context: ScenarioContext, cluster: FuzzCluster, only?: string[]): Promise<ProbeFinding[]> {
  const findings: ProbeFinding[] = [];
  const names = only ?? Object.keys(MUTATIONS);
  const [n1, n2] = cluster.nodes as [FuzzNode, FuzzNode];
  for (const mutation of names) {
    if (!n1.alive() || !n2.alive()) {
      findings.push({ mutation, hex: '', outcome: 'not run', effects: ['a node is dead'] });
      continue;
    }
    const random = streamFor(context.seed, `${NAME}:probe:${mutation}`);
    const documentName = uniqueName('probe').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    const writer = new HonestWriter(documentName, between(random, 1, 2 ** 32 - 1), random);
    writer.peer.goOnline(n1.syncUrl);
    const effects: string[] = [];
    let hex = '';
    let outcome = '';
    try {
      if (!(await until(() => writer.peer.synced, 5000))) {
        findings.push({ mutation, hex, outcome: 'not run', effects: ['writer could not sync a fresh document'] });
        continue;
      }
      for (let i = 0; i < 6; i++) writer.step();
      await until(() => writer.peer.ackedClock >= writer.peer.ownClock, 3000);
      const builder = MUTATIONS[mutation]?.build ?? IMPERSONATION;
      const { update } = builder(random, collectMaterial(writer.doc, writer.doc.clientID, writer.captured));
      const bytes = update instanceof Uint8Array ? update : encodeUpdate(update);
      hex = toHex(bytes);
      const answer = await sendHostileUpdate(n1.syncUrl, documentName, bytes, { timeoutMs: 2000 });
      outcome = describeOutcome(answer);
      /** Writer clocks this probe's own applied update deleted (a valid edit: those tokens are deleted, not lost). */
      let deletedHere: Array<{ clock: number; len: number }> = [];
      try {
        if (answer.kind === 'applied') deletedHere = (Y.decodeUpdate(bytes) as unknown as { ds: { clients: Map<number, Array<{ clock: number; len: number }>> } }).ds.clients.get(writer.doc.clientID) ?? [];
      } catch {
        // applied bytes decode
      }
      for (let i = 0; i < 4; i++) writer.step();
      if (!(await until(() => writer.peer.ackedClock >= writer.peer.ownClock, 3000))) effects.push('writer gets no "saved" ack afterwards');
      const inDeletion = (clock: number) => deletedHere.some((d) => clock >= d.clock && clock < d.clock + d.len);
      const acked = writer.tokens.filter((t) => writer.acked(t) && ![...t.text].some((_, i) => inDeletion(t.clock + i)));
      const replicas = await gatherReplicas(cluster, documentName, writer, 2000);
      for (const replica of replicas) {
        if (replica.name === 'writer') continue;
        const check = checkReplica(replica.name, replica.doc, writer, acked);
        if (!replica.doc) effects.push(`${replica.name}: ${replica.error ?? 'refused / did not sync'}`);
        else if (check.missingTokens.length) effects.push(`${replica.name}: ${check.missingTokens.length} acked token(s) missing`);
        else if (check.problem) effects.push(`${replica.name}: ${check.problem}`);
      }
      if (writer.errors.length) effects.push(`the writer's own Yjs throws: ${writer.errors[0]}`);
      if (!n1.alive()) effects.push(`${n1.name} died (${n1.exit()})`);
      if (!n2.alive()) effects.push(`${n2.name} died (${n2.exit()})`);
    } finally {
      writer.peer.destroy();
    }
    if (effects.length) context.log(`${NAME} probe ${mutation}: ${outcome}; ${effects.join('; ')}; update ${hex}`);
    findings.push({ mutation, hex, outcome, effects });
  }
  return findings;
}

export async function runHostileUpdates(context: ScenarioContext): Promise<ScenarioResult> {
  const started = Date.now();
  const random = streamFor(context.seed, NAME);
  const totalFrames = Number(process.env.CHAOS_FUZZ_FRAMES ?? (context.quick ? 2000 : 5000));
  const impersonate = process.env.CHAOS_FUZZ_IMPERSONATE === '1';
  const concurrency = 6;
  // A wedged document answers nothing: bound the phase by time as well as by frames.
  const attackBudgetMs = Number(process.env.CHAOS_FUZZ_ATTACK_MS ?? (context.quick ? 25_000 : 90_000));
  const cluster = await startCluster({ name: 'hostile', nodes: 2, redis: true, log: context.log });
  const documentName = `hostile-${context.seed >>> 0}-${Date.now().toString(36)}`;
  const writer = new HonestWriter(documentName, between(random, 1, 2 ** 32 - 1), streamFor(context.seed, `${NAME}:writer`));
  const [n1, n2] = cluster.nodes as [FuzzNode, FuzzNode];
  const tally = emptyTally();
  const byMutation = new Map<string, Tally>();
  /** Attacks the node should have refused but applied, and attacks nobody answered. */
  const suspicious: Array<{ attack: Attack; outcome: AttackOutcome; node: string }> = [];
  /** Per mutation: attacks that must be refused but were applied. */
  const mustRejectApplied = new Map<string, number>();
  /** CHAOS_FUZZ_DUMP=<file>: every attack frame, its node and outcome, plus the replicas at the end (JSON), for offline replay. */
  const dump: Array<Record<string, unknown>> | null = process.env.CHAOS_FUZZ_DUMP ? [] : null;
  /**
   * Deletions of the writer's clocks in attacks a node applied, with the
   * writer's acknowledged clock when the attack was sent: a token acknowledged
   * before a valid deletion of it was sent was deleted by an editor, not lost
   * (a deletion that reached a node before the token did would be the bug
   * SAFE2 closes, and stays counted as lost).
   */
  const appliedDeletions: Array<{ clock: number; len: number; ackedAtSend: number }> = [];
  const recordDeletions = (attack: Attack, ackedAtSend: number) => {
    try {
      const { ds } = Y.decodeUpdate(attack.bytes) as unknown as { ds: { clients: Map<number, Array<{ clock: number; len: number }>> } };
      for (const { clock, len } of ds.clients.get(writer.doc.clientID) ?? []) appliedDeletions.push({ clock, len, ackedAtSend });
    } catch {
      // applied bytes decode; nothing to record otherwise
    }
  };
  let writing = true;
  let writerLoop: Promise<void> = Promise.resolve();
  try {
    writer.peer.goOnline(n1.syncUrl);
    if (!(await until(() => writer.peer.synced, 15_000))) throw new Error('the honest writer could not sync');
    writerLoop = (async () => {
      while (writing) {
        writer.step();
        await sleep(15 + Math.floor(Math.random() * 20));
      }
    })();
    // Some honest content (and acks) before the attack.
    await until(() => writer.tokens.length >= 20 && writer.peer.ackedClock > 0, 10_000);
    const ackedBeforeAttack = writer.tokens.filter((t) => writer.acked(t)).length;
    // The quiet client: writes once now, never again (deletions just past its end are provably past what a node holds).
    const quietSent = quietInsertion(random, writer.doc);
    const quietOutcome = await sendHostileUpdate(n1.syncUrl, documentName, quietSent.bytes, { timeoutMs: 5000 });
    if (quietOutcome.kind !== 'applied' || !(await until(() => Y.getState(writer.doc.store, quietSent.client) === quietSent.state, 5000))) {
      throw new Error(`the quiet client's valid insertion did not arrive (${describeOutcome(quietOutcome)})`);
    }
    const quiet = { client: quietSent.client, state: quietSent.state };
    // Writer items acknowledged a while ago are held by both nodes: only those are offered as references.
    let heldClock = writer.peer.ackedClock;
    await sleep(300);
    writer.attackStarted = true;
    context.log(`${NAME}: ${totalFrames} attack frames against ${documentName} (seed ${context.seed})`);

    let material = collectMaterial(writer.doc, writer.doc.clientID, writer.captured, heldClock, quiet);
    let next = 0;
    let sent = 0;
    const attackStarted = Date.now();
    const worker = async () => {
      while (next < totalFrames && Date.now() - attackStarted < attackBudgetMs) {
        const index = next++;
        if (index % 25 === 0) {
          material = collectMaterial(writer.doc, writer.doc.clientID, writer.captured, heldClock, quiet);
          heldClock = writer.peer.ackedClock;
        }
        const attack = makeAttack(random, material, { impersonate });
        const node = random() < 0.5 ? n1 : n2;
        if (!node.alive()) {
          count(tally, { kind: 'refused', error: 'node dead' });
          continue;
        }
        const sentAt = Date.now();
        const ackedAtSend = writer.peer.ackedClock;
        const outcome = await sendHostileUpdate(node.syncUrl, documentName, attack.bytes, { timeoutMs: 1500 });
        sent += 1;
        if (outcome.kind === 'applied') recordDeletions(attack, ackedAtSend);
        if (dump) dump.push({ sentAt, answeredAt: Date.now(), node: node.name, mutation: attack.mutation, outcome: describeOutcome(outcome), hex: toHex(attack.bytes) });
        count(tally, outcome);
        let perMutation = byMutation.get(attack.mutation);
        if (!perMutation) byMutation.set(attack.mutation, (perMutation = emptyTally()));
        count(perMutation, outcome);
        if (attack.mustReject && outcome.kind === 'applied') mustRejectApplied.set(attack.mutation, (mustRejectApplied.get(attack.mutation) ?? 0) + 1);
        if ((attack.mustReject && outcome.kind === 'applied') || outcome.kind === 'timeout') {
          if (suspicious.length < 200) suspicious.push({ attack, outcome, node: node.name });
        }
        if (index > 0 && index % 500 === 0) context.log(`${NAME}: ${index} frames, 4422 ${tally.closed4422}, 4400 ${tally.closed4400}, applied ${tally.applied}, no answer ${tally.timeouts}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const attackEnded = Date.now();
    context.log(`${NAME}: attack done in ${attackEnded - attackStarted} ms`);

    // The writer keeps typing a little after the attack; then everything must be acked and agree.
    const tokensAtAttackEnd = writer.tokens.length;
    await sleep(context.quick ? 1500 : 3000);
    writing = false;
    await writerLoop;
    const allAcked = await until(() => writer.peer.ackedClock >= writer.peer.ownClock, 15_000);
    const convergedNow = await until(() => converged(cluster, documentName, writer), 15_000, 200);
    const convergeMs = convergedNow ? Date.now() - attackEnded : null;

    const ackedTokens = writer.tokens.filter((t) => writer.acked(t));
    const ackedAfterAttack = writer.tokens.slice(tokensAtAttackEnd).filter((t) => writer.acked(t)).length;
    const replicas = await gatherReplicas(cluster, documentName, writer, 10_000);
    const checks = replicas.map((r) => checkReplica(r.name, r.doc, writer, ackedTokens));
    if (dump) {
      const state = Object.fromEntries(replicas.map((r) => [r.name, r.doc ? toHex(Y.encodeStateAsUpdate(r.doc)) : null]));
      writeFileSync(process.env.CHAOS_FUZZ_DUMP!, JSON.stringify({ writer: writer.doc.clientID, attacks: dump, replicas: state }));
    }
    const missing = new Set<number>();
    for (const check of checks) for (const index of check.missingTokens) missing.add(index);
    /** Missing tokens that a valid attacker deletion removed (deleted, not lost): deleted in every replica, by an applied deletion sent after the token's ack. */
    const deletedByEditor = new Set<number>();
    const lostTokens = new Set<number>();
    for (const index of missing) {
      const token = writer.tokens[index]!;
      const end = token.clock + token.text.length;
      // Each character: intact, or deleted by an applied deletion sent after the token's ack — in every replica.
      const explained = replicas.every((r) => {
        if (!r.doc) return true; // counted as broken on its own
        for (let i = 0; i < token.text.length; i++) {
          const char = { ...token, clock: token.clock + i, text: token.text[i]! };
          if (tokenIntact(r.doc, char)) continue;
          const covered = appliedDeletions.some((d) => d.ackedAtSend >= end && char.clock >= d.clock && char.clock < d.clock + d.len);
          if (!covered || !tokenDeleted(r.doc, char)) return false;
        }
        return true;
      });
      if (explained) deletedByEditor.add(index);
      else lostTokens.add(index);
    }

    const problems: string[] = [];
    let broken = 0;
    for (const node of cluster.nodes) {
      if (!node.alive()) {
        broken += 1;
        problems.push(`${node.name} died (${node.exit()}): ${nodeComplaints(node, 3).join(' | ')}`);
      }
    }
    for (const [i, check] of checks.entries()) {
      if (!replicas[i]!.doc) {
        broken += 1;
        problems.push(`${check.name}: ${replicas[i]!.error ?? 'did not sync'}`);
      } else if (check.problem) {
        broken += 1;
        problems.push(`${check.name}: ${check.problem}`);
      }
    }
    if (writer.errors.length) {
      broken += 1;
      problems.push(`the honest writer's own Yjs threw while editing (${writer.errors.length}×): ${[...new Set(writer.errors)].slice(0, 3).join(' | ')}`);
    }
    if (!allAcked) {
      broken += 1;
      problems.push(`writer's last edits never acknowledged (acked clock ${writer.peer.ackedClock} < own ${writer.peer.ownClock}): document wedged`);
    }
    const stored = replicas.find((r) => r.name === 'postgres')?.doc;
    const foreignClients = stored ? [...stored.store.clients.keys()].filter((c) => c !== writer.doc.clientID).length : 0;

    const otherCodes = [...tally.otherCodes].map(([code, n]) => `${code}×${n}`).join(' ');
    const notes: string[] = [
      `attack frames ${sent}${sent < totalFrames ? ` of ${totalFrames} (time budget)` : ''}; closed 4422: ${tally.closed4422}, 4400: ${tally.closed4400}, other: ${[...tally.otherCodes.values()].reduce((a, b) => a + b, 0)}${otherCodes ? ` (${otherCodes})` : ''}; applied: ${tally.applied}; no answer: ${tally.timeouts}${tally.refused ? `; refused: ${tally.refused}` : ''}`,
      `honest tokens acked ${ackedTokens.length} (${ackedBeforeAttack} before the attack, ${ackedAfterAttack} after it), ${deletedByEditor.size} of them (partly) deleted by valid attacker edits (${appliedDeletions.length} applied deletions of the writer's text); foreign clients in the stored doc: ${foreignClients}`,
    ];
    if (mustRejectApplied.size) notes.push(`applied although structurally invalid: ${[...mustRejectApplied].map(([name, n]) => `${name}×${n}`).join(', ')}`);
    if (problems.length) notes.push(...problems);
    if (lostTokens.size) notes.push(`acked tokens missing: ${lostTokens.size} (e.g. ${[...lostTokens].slice(0, 5).map((i) => writer.tokens[i]!.text).join(' ')})`);
    context.log(`${NAME}: per mutation: ${[...byMutation].map(([name, t]) => `${name} 4422:${t.closed4422} 4400:${t.closed4400} applied:${t.applied} none:${t.timeouts}${t.otherCodes.size ? ` other:${[...t.otherCodes].map(([c, n]) => `${c}×${n}`).join('/')}` : ''}`).join('; ')}`);
    for (const s of suspicious.slice(0, 10)) context.log(`${NAME}: ${s.attack.mutation} on ${s.node}: ${describeOutcome(s.outcome)}: ${toHex(s.attack.bytes)}`);

    // Attribution: replay each mutation alone when something broke (always in a full run).
    if (broken > 0 || lostTokens.size > 0 || !context.quick || process.env.CHAOS_FUZZ_PROBE === '1') {
      if (cluster.nodes.every((n) => n.alive())) {
        // Quick: only the suspects of this run (applied although invalid, or unanswered).
        const all = impersonate ? [...Object.keys(MUTATIONS), 'impersonate-writer'] : Object.keys(MUTATIONS);
        const suspects = [...new Set(suspicious.map((s) => s.attack.mutation))].slice(0, 8);
        const findings = await probeEachMutation(context, cluster, context.quick && process.env.CHAOS_FUZZ_PROBE !== '1' ? suspects : all);
        const harmful = findings.filter((f) => f.effects.length > 0);
        notes.push(`probe (each mutation alone): ${harmful.length} of ${findings.length} harm a document${harmful.length ? `: ${harmful.map((f) => `${f.mutation} [${f.outcome}] → ${f.effects.join(', ')} (${f.hex})`).join('; ')}` : ''}`);
      } else {
        notes.push('probe skipped: a node is dead');
      }
    }
    context.log(`${NAME}: done in ${Math.round((Date.now() - started) / 1000)} s`);
    return {
      faults: `hostile frames ×${sent} (${byMutation.size} mutation kinds) over 2 nodes`,
      acknowledged: ackedTokens.length,
      lost: lostTokens.size,
      broken,
      convergeMs,
      notes: notes.join('; '),
    };
  } finally {
    writing = false;
    await writerLoop.catch(() => undefined);
    writer.peer.destroy();
    await cluster.stop();
  }
}

export const scenario: Scenario = { name: NAME, run: runHostileUpdates };

/**
 * The quiet client's one insertion, made by Yjs itself on a copy of the
 * writer's document (so its origins are what an editor would send: the
 * characters on both sides of the cursor). What it builds on that a node
 * does not hold yet is held there until the writer's own updates arrive.
 */
function quietInsertion(random: () => number, source: Y.Doc): { client: number; state: number; bytes: Uint8Array } {
  const quiet = new Y.Doc();
  Y.applyUpdate(quiet, Y.encodeStateAsUpdate(source));
  const before = Y.encodeStateVector(quiet);
  const texts: Y.XmlText[] = [];
  for (const block of quiet.getXmlFragment('default').toArray()) {
    if (block instanceof Y.XmlElement) for (const child of block.toArray()) if (child instanceof Y.XmlText) texts.push(child);
  }
  const text = texts[between(random, 0, texts.length - 1)];
  if (!text) throw new Error('the writer has no text yet for the quiet client to insert into');
  text.insert(between(random, 0, text.length), 'quiet');
  return { client: quiet.clientID, state: 'quiet'.length, bytes: Y.encodeStateAsUpdate(quiet, before) };
}
