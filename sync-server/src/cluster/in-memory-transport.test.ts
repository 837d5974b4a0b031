import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryNetwork } from './in-memory-transport.js';
import { ClusterMessageKind, encodeClusterMessage } from './wire.js';

function awarenessFrame(sender: string, byte: number): Uint8Array {
  return encodeClusterMessage({ kind: ClusterMessageKind.Awareness, sender, target: '', update: Uint8Array.of(byte) });
}

function node(network: InMemoryNetwork, nodeId: string) {
  const transport = network.transport(nodeId);
  const received: string[] = [];
  let heals = 0;
  transport.listen({
    frame: (documentName, frame) => received.push(`${documentName}:${frame.at(-1)}`),
    reconnected: () => {
      heals += 1;
    },
  });
  return { transport, received, heals: () => heals };
}

test('in-memory transport: a publish queues a copy per subscriber (sender included), delivered only on flush', async () => {
  const network = new InMemoryNetwork();
  const a = node(network, 'a');
  const b = node(network, 'b');
  const c = node(network, 'c');
  await a.transport.subscribe('doc');
  await b.transport.subscribe('doc');
  await c.transport.subscribe('elsewhere');
  a.transport.publish('doc', awarenessFrame('a', 1));
  assert.deepEqual(network.pending().map((frame) => frame.to), ['a', 'b']);
  assert.equal(network.pending()[0]!.message.sender, 'a', 'frames are decoded for the test');
  assert.deepEqual([a.received, b.received], [[], []], 'nothing arrives before the test flushes');
  assert.equal(network.flush(), 2);
  assert.deepEqual([a.received, b.received, c.received], [['doc:1'], ['doc:1'], []]);
  await b.transport.unsubscribe('doc');
  a.transport.publish('doc', awarenessFrame('a', 2));
  network.flush();
  assert.deepEqual(b.received, ['doc:1'], 'unsubscribed: nothing more');
});

test('in-memory transport: the test drops, duplicates, reorders and holds back frames', async () => {
  const network = new InMemoryNetwork();
  const a = node(network, 'a');
  const b = node(network, 'b');
  await b.transport.subscribe('doc');
  for (const byte of [1, 2, 3, 4]) a.transport.publish('doc', awarenessFrame('a', byte));
  const [first, second, third, fourth] = network.pending();
  assert.equal(network.drop((frame) => frame === second), 1);
  network.duplicate(third!);
  network.deliver(fourth!); // overtakes the others
  network.flush((frame) => frame === first); // first is delayed
  assert.deepEqual(b.received, ['doc:4', 'doc:3', 'doc:3']);
  assert.equal(network.pending().length, 1);
  network.flush();
  assert.deepEqual(b.received, ['doc:4', 'doc:3', 'doc:3', 'doc:1']);
  // A seeded shuffle is repeatable.
  const order = (seed: number) => {
    const net = new InMemoryNetwork();
    const x = node(net, 'x');
    void x.transport.subscribe('doc');
    for (const byte of [1, 2, 3, 4, 5]) x.transport.publish('doc', awarenessFrame('x', byte));
    let state = seed;
    net.shuffle(() => ((state = (state * 16807) % 2147483647) / 2147483647));
    net.flush();
    return x.received.join();
  };
  assert.equal(order(7), order(7));
});

test('in-memory transport: a node off the network loses what it publishes and what was on its way to it; back, it is told to heal', async () => {
  const network = new InMemoryNetwork();
  const a = node(network, 'a');
  const b = node(network, 'b');
  await a.transport.subscribe('doc');
  await b.transport.subscribe('doc');
  a.transport.publish('doc', awarenessFrame('a', 1));
  network.disconnect('b');
  b.transport.publish('doc', awarenessFrame('b', 2));
  await assert.rejects(b.transport.subscribe('later'), /off the network/);
  network.flush();
  assert.deepEqual([a.received, b.received], [['doc:1'], []]);
  network.reconnect('b');
  assert.equal(b.heals(), 1);
  a.transport.publish('later', awarenessFrame('a', 3));
  network.flush();
  assert.deepEqual(b.received, ['later:3'], 'the channel wanted while away is subscribed');
});
