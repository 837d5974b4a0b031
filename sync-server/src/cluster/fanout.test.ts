/**
 * The fan-out protocol between real Hocuspocus instances (no sockets: edits
 * through direct connections) over the deterministic in-memory transport,
 * with time stepped by hand: every loss, reorder and timer is chosen by the
 * test, so each run is the same run.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Registry } from 'prom-client';
import { type DirectConnection, type Document, Hocuspocus } from '@hocuspocus/server';
import { mulberry32 } from '@copycloud/testing';
import { quietLogger } from '../../test/helpers.js';
import { HEAL_REASONS, ClusterMetrics } from './cluster-metrics.js';
import { ClusterFanout } from './fanout.js';
import { type InFlightFrame, InMemoryNetwork } from './in-memory-transport.js';
import { ManualScheduler } from './scheduler.js';
import { ClusterMessageKind } from './wire.js';

const INTERVAL_MS = 1_000;
const TAKEOVER_AFTER_MS = 3_000;
const DOC = 'doc';

class TestNode {
  readonly fanout: ClusterFanout;
  readonly metrics = new ClusterMetrics(new Registry(), () => this.fanout.subscribedDocuments);
  readonly hocuspocus: Hocuspocus;
  /** What the fan-out handed the update log (takeovers and heals). */
  readonly stored: Uint8Array[] = [];
  /** Durable state vectors peers announced. */
  readonly peerDurable: Uint8Array[] = [];
  /** What this node's own update log has committed, as the durability tracker would report it. */
  durableVector: Uint8Array | undefined;
  private readonly connections = new Map<string, DirectConnection>();

  constructor(
    readonly cluster: TestCluster,
    readonly nodeId: string,
  ) {
    this.fanout = new ClusterFanout({
      transport: cluster.network.transport(nodeId),
      nodeId,
      logger: quietLogger,
      metrics: this.metrics,
      scheduler: cluster.scheduler,
      antiEntropyIntervalMs: INTERVAL_MS,
      takeoverAfterMs: TAKEOVER_AFTER_MS,
      writer: { enqueue: ({ update }) => this.stored.push(update) },
      durability: {
        stateVector: () => this.durableVector,
        onPeerDurable: (_documentName, stateVector) => this.peerDurable.push(stateVector),
      },
    });
    this.hocuspocus = new Hocuspocus({ name: nodeId, quiet: true, extensions: [this.fanout], debounce: 0, maxDebounce: 0, unloadImmediately: true, flushDelay: false });
  }

  async open(name = DOC): Promise<void> {
    this.connections.set(name, await this.hocuspocus.openDirectConnection(name));
  }

  /** An edit by one of this node's clients. */
  async edit(change: (text: Y.Text) => void, name = DOC): Promise<void> {
    await this.connections.get(name)!.transact((document) => change(document.getText('t')));
  }

  doc(name = DOC): Document {
    return this.hocuspocus.documents.get(name)!;
  }

  text(name = DOC): string {
    return this.doc(name).getText('t').toString();
  }

  async heals(reason: (typeof HEAL_REASONS)[number]): Promise<number> {
    return (await this.metrics.gaps.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
  }

  async allHeals(): Promise<Record<string, number>> {
    return Object.fromEntries(await Promise.all(HEAL_REASONS.map(async (reason) => [reason, await this.heals(reason)] as const)));
  }

  async takeovers(): Promise<number> {
    return (await this.metrics.takeovers.get()).values[0]?.value ?? 0;
  }
}

const clusters: TestCluster[] = [];
afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.close();
});

class TestCluster {
  readonly network = new InMemoryNetwork();
  readonly scheduler = new ManualScheduler();
  readonly nodes: TestNode[];

  constructor(nodeIds: string[]) {
    this.nodes = nodeIds.map((id) => new TestNode(this, id));
    clusters.push(this);
  }

  /** Every document's awareness runs a real interval until the document is destroyed. */
  async close(): Promise<void> {
    for (const node of this.nodes) {
      await node.fanout.close();
      for (const document of node.hocuspocus.documents.values()) document.destroy();
      node.hocuspocus.documents.clear();
    }
  }

  /**
   * Lets everything that is due happen, except frames `hold` keeps back:
   * Hocuspocus' hooks (promises), outbox flushes (the end of the turn),
   * deliveries — until nothing moves.
   */
  async settle(hold?: (frame: InFlightFrame) => boolean): Promise<void> {
    for (let rounds = 0; ; rounds++) {
      if (rounds > 1_000) throw new Error('settle: the protocol never went quiet');
      await new Promise(setImmediate);
      const ran = this.scheduler.runDeferred();
      const delivered = this.network.flush(hold);
      if (ran === 0 && delivered === 0) return;
    }
  }

  /** Frames of `kind` queued for `to` (from anyone else). */
  framesTo(to: TestNode, kind: ClusterMessageKind): (frame: InFlightFrame) => boolean {
    return (frame) => frame.to === to.nodeId && frame.from !== to.nodeId && frame.message.kind === kind;
  }

  assertConverged(name = DOC): void {
    const [first, ...rest] = this.nodes;
    for (const node of rest) {
      assert.equal(node.text(name), first!.text(name), `${node.nodeId} holds what ${first!.nodeId} holds`);
      assert.deepEqual(Y.encodeStateAsUpdate(node.doc(name)), Y.encodeStateAsUpdate(first!.doc(name)), `${node.nodeId}: identical bytes`);
    }
  }

  async open(): Promise<void> {
    for (const node of this.nodes) await node.open();
    await this.settle();
  }
}

function randomEdit(text: Y.Text, random: () => number): void {
  if (text.length > 0 && random() < 0.3) {
    const at = Math.floor(random() * text.length);
    text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at));
  } else {
    text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + Math.floor(random() * 26)));
  }
}

for (const size of [2, 3]) {
  test(`CLUSTER1 protocol: ${size} nodes editing at once converge byte-identical, whatever order frames arrive in, with no heal needed`, async () => {
    const cluster = new TestCluster(['a', 'b', 'c'].slice(0, size));
    await cluster.open();
    const random = mulberry32(size);
    for (let round = 0; round < 20; round++) {
      for (let edits = 0; edits < 3; edits++) {
        const node = cluster.nodes[Math.floor(random() * size)]!;
        await node.edit((text) => randomEdit(text, random));
      }
      await new Promise(setImmediate);
      cluster.scheduler.runDeferred();
      // Frames from different senders may interleave in any order (pub/sub keeps order per sender only;
      // each node flushed its outbox once this round, so a shuffle keeps that).
      cluster.network.shuffle(random);
      await cluster.settle();
    }
    cluster.assertConverged();
    assert.ok(cluster.nodes[0]!.text().length > 0, 'edits happened');
    // Digests between copies that agree find nothing to heal.
    cluster.scheduler.advance(INTERVAL_MS);
    await cluster.settle();
    cluster.scheduler.advance(INTERVAL_MS);
    await cluster.settle();
    for (const node of cluster.nodes) {
      assert.deepEqual(await node.allHeals(), { 'sequence-gap': 0, 'trailing-loss': 0, 'digest-mismatch': 0, reconnect: 0 }, node.nodeId);
    }
  });
}

test('CLUSTER2 protocol: edits made in one turn leave as one Update frame', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  await a.edit((text) => text.insert(0, 'x'));
  await a.edit((text) => text.insert(1, 'y'));
  await a.edit((text) => text.insert(2, 'z'));
  await new Promise(setImmediate);
  assert.equal(cluster.network.pending(cluster.framesTo(b, ClusterMessageKind.Update)).length, 0, 'nothing before the turn ends');
  cluster.scheduler.runDeferred();
  assert.equal(cluster.network.pending(cluster.framesTo(b, ClusterMessageKind.Update)).length, 1);
  await cluster.settle();
  assert.equal(b.text(), 'xyz');
});

test('CLUSTER4 protocol: a dropped Update is detected by the next one as a sequence gap and repaired', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  await a.edit((text) => text.insert(0, 'one '));
  await cluster.settle();
  await a.edit((text) => text.insert(4, 'two '));
  await new Promise(setImmediate);
  cluster.scheduler.runDeferred();
  assert.equal(cluster.network.drop(cluster.framesTo(b, ClusterMessageKind.Update)), 1, 'pub/sub loses it');
  await cluster.settle();
  assert.equal(b.text(), 'one ', 'b missed it and does not know yet');
  await a.edit((text) => text.insert(8, 'three'));
  await cluster.settle();
  assert.equal(await b.heals('sequence-gap'), 1);
  assert.equal(b.text(), 'one two three');
  cluster.assertConverged();
  assert.equal(await a.heals('sequence-gap'), 0);
});

test('CLUSTER4 protocol: a loss at the end is found by the digest; a lost heal is retried as a digest mismatch', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  await a.edit((text) => text.insert(0, 'hello'));
  await cluster.settle();
  await a.edit((text) => text.delete(0, 1)); // the last edit for a while, lost
  await new Promise(setImmediate);
  cluster.scheduler.runDeferred();
  cluster.network.drop(cluster.framesTo(b, ClusterMessageKind.Update));
  await cluster.settle();
  assert.equal(b.text(), 'hello');

  cluster.scheduler.advance(INTERVAL_MS);
  // b learns from a's digest that it missed an update; its heal (a SyncRequest to a) is lost too.
  await cluster.settle((frame) => frame.from === b.nodeId && frame.to === a.nodeId);
  assert.equal(await b.heals('trailing-loss'), 1);
  cluster.network.drop((frame) => frame.from === b.nodeId);
  assert.equal(b.text(), 'hello', 'not healed yet');

  cluster.scheduler.advance(INTERVAL_MS);
  await cluster.settle();
  assert.equal(await b.heals('digest-mismatch'), 1, 'same seq, different state: the copies diverged');
  assert.equal(b.text(), 'ello');
  cluster.assertConverged();
  assert.equal(await a.heals('trailing-loss') + (await a.heals('sequence-gap')), 0, 'a never missed an update');
});

test('CLUSTER4 protocol: no digest mismatch while our updates are unpublished or in flight', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  await a.edit((text) => text.insert(0, 'shared'));
  await cluster.settle();

  // Digests leave; then b edits, and a's digest reaches b while b's edit still sits in its outbox.
  cluster.scheduler.advance(INTERVAL_MS);
  await b.edit((text) => text.insert(0, 'B'));
  await new Promise(setImmediate); // the hooks ran; the end of the turn (the outbox flush) has not come
  const queued = cluster.network.pending((frame) => frame.from !== frame.to);
  assert.deepEqual(queued.map((frame) => `${frame.from}>${frame.to}:${frame.message.kind}`), [`a>b:${ClusterMessageKind.Digest}`, `b>a:${ClusterMessageKind.Digest}`], 'only the digests');
  cluster.network.flush();
  assert.equal(b.text(), 'Bshared');
  assert.equal(a.text(), 'shared');
  assert.equal(cluster.network.pending().length, 0, 'no heal was started');

  // b publishes; a's next digest is computed before b's update reaches a, and reaches b first.
  cluster.scheduler.runDeferred();
  cluster.scheduler.advance(INTERVAL_MS);
  // Pub/sub keeps each sender's order, so b's digest stays behind b's update.
  await cluster.settle((frame) => frame.from === b.nodeId && frame.to === a.nodeId);
  assert.equal(a.text(), 'shared', 'b\'s update is still on its way');
  assert.equal(await b.heals('digest-mismatch'), 0, 'a\'s digest had not seen b\'s update: no proof of divergence');

  await cluster.settle();
  cluster.assertConverged();
  for (const node of cluster.nodes) {
    assert.deepEqual(await node.allHeals(), { 'sequence-gap': 0, 'trailing-loss': 0, 'digest-mismatch': 0, reconnect: 0 }, node.nodeId);
  }
});

test('CLUSTER5 protocol: a node off the network keeps its edits, and heals both ways when it is back', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  cluster.network.disconnect('b');
  await a.edit((text) => text.insert(0, 'from a. '));
  await b.edit((text) => text.insert(0, 'from b. '));
  await cluster.settle();
  assert.equal(a.text(), 'from a. ');
  cluster.network.reconnect('b');
  await cluster.settle();
  assert.equal(await b.heals('reconnect'), 1);
  cluster.assertConverged();
  assert.match(a.text(), /from b\. /);
});

test('STORE10 protocol: a peer\'s update is held until its sender announces it durable, then forgotten (never taken over)', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const storedBefore = b.stored.length;
  await a.edit((text) => text.insert(0, 'durable'));
  await cluster.settle();
  assert.equal(b.text(), 'durable');

  // a's update log cuts a batch with the document and commits it.
  a.fanout.onBatchCut(new Set([DOC]));
  a.durableVector = Y.encodeStateVector(a.doc());
  a.fanout.onCommitted(new Set([DOC]));
  cluster.scheduler.advance(50); // the standalone Durable notice
  const notices = cluster.network.pending(cluster.framesTo(b, ClusterMessageKind.Durable));
  assert.equal(notices.length, 1);
  await cluster.settle();
  assert.deepEqual(b.peerDurable, [a.durableVector], 'b hears what a committed');

  cluster.scheduler.advance(TAKEOVER_AFTER_MS * 2);
  await cluster.settle();
  assert.equal(await b.takeovers(), 0, 'nothing left to take over');
  assert.equal(b.stored.length, storedBefore, 'b stored nothing of a\'s');
  b.fanout.beforeBatchCut(new Set([DOC]));
  assert.equal(b.stored.length, storedBefore, 'nor with its own batch');
});

test('STORE10 protocol: an update its sender never confirms is stored by the receiver after the takeover delay', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const storedBefore = b.stored.length;
  await a.edit((text) => text.insert(0, 'orphan'));
  await cluster.settle();
  cluster.network.disconnect('a'); // a dies before its commit
  cluster.scheduler.advance(TAKEOVER_AFTER_MS / 2);
  assert.equal(await b.takeovers(), 0, 'not yet');
  cluster.scheduler.advance(TAKEOVER_AFTER_MS);
  assert.equal(await b.takeovers(), 1);
  const stored = b.stored.slice(storedBefore);
  assert.equal(stored.length, 1);
  const replay = new Y.Doc();
  Y.applyUpdate(replay, stored[0]!);
  assert.equal(replay.getText('t').toString(), 'orphan', 'what b stored is a\'s edit');
});

test('STORE10 protocol: a batch of ours stores the peer updates it may build on that are still unconfirmed', async () => {
  const cluster = new TestCluster(['a', 'b']);
  await cluster.open();
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const storedBefore = b.stored.length;
  await a.edit((text) => text.insert(0, 'author'));
  await cluster.settle();
  await b.edit((text) => text.insert(6, ' + co-author'));
  b.fanout.beforeBatchCut(new Set([DOC]));
  assert.equal(b.stored.length, storedBefore + 1, 'a\'s unconfirmed update goes into b\'s batch');
  assert.equal(await b.takeovers(), 1);
});

test('CLUSTER3 protocol: awareness crosses nodes, and a node opening the document later gets the states already there', async () => {
  const cluster = new TestCluster(['a', 'b']);
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const names = (node: TestNode) => Array.from(node.doc().awareness.getStates().values(), (state) => (state as { user?: { name?: string } }).user?.name);
  await a.open();
  await cluster.settle();
  a.doc().awareness.setLocalState({ user: { name: 'Ada' } });
  await cluster.settle();
  await b.open();
  await cluster.settle();
  assert.deepEqual(names(b), ['Ada'], 'the hello brought a\'s awareness');
  a.doc().awareness.setLocalState({ user: { name: 'Ada Lovelace' } });
  await cluster.settle();
  assert.deepEqual(names(b), ['Ada Lovelace'], 'and changes follow');
});
