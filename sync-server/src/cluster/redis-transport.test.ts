import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { waitFor } from '@copycloud/testing';
import { quietLogger } from '../../test/helpers.js';
import { SHARED_REDIS_URL, startPrivateRedis, uniquePrefix } from '../../test/cluster-helpers.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { RedisTransport } from './redis-transport.js';

const transports: RedisTransport[] = [];
after(() => {
  for (const transport of transports) transport.close();
});

function open(redisUrl: string, prefix: string, nodeId: string) {
  const metrics = new ClusterMetrics(new Registry(), () => 0);
  const transport = new RedisTransport({ redisUrl, prefix, nodeId, logger: quietLogger, metrics });
  transports.push(transport);
  const frames: string[] = [];
  let reconnects = 0;
  transport.listen({
    frame: (documentName, frame) => frames.push(`${documentName}:${Buffer.from(frame).toString()}`),
    reconnected: () => {
      reconnects += 1;
    },
  });
  return { transport, metrics, frames, reconnects: () => reconnects };
}

const bytes = (text: string) => new TextEncoder().encode(text);

test('CLUSTER4 Redis transport: a frame reaches every subscriber of its document, the sender included; other channels carry strings', async () => {
  const prefix = uniquePrefix('transport');
  const a = open(SHARED_REDIS_URL, prefix, 'a');
  const b = open(SHARED_REDIS_URL, prefix, 'b');
  await waitFor(() => a.transport.ready && b.transport.ready, { message: 'both connected' });
  await a.transport.subscribe('doc');
  await b.transport.subscribe('doc');
  await b.transport.subscribe('other-doc');
  const external: string[] = [];
  b.transport.otherChannels.on('message', (channel, message) => external.push(`${channel}=${message}`));
  await b.transport.otherChannels.subscribe(`${prefix}:external`);

  a.transport.publish('doc', bytes('one'));
  await waitFor(() => assert.deepEqual([a.frames, b.frames], [['doc:one'], ['doc:one']]));

  await b.transport.unsubscribe('doc');
  a.transport.publish('doc', bytes('two'));
  a.transport.publish('other-doc', bytes('three'));
  await waitFor(() => assert.deepEqual(b.frames, ['doc:one', 'other-doc:three']));
  assert.deepEqual(a.frames, ['doc:one', 'doc:two'], 'a never subscribed to other-doc');

  // A channel outside the document namespace goes to the other-channel listeners as text, never to the protocol.
  const publisher = open(SHARED_REDIS_URL, prefix, 'publisher');
  await waitFor(() => publisher.transport.ready);
  await (publisher.transport as unknown as { pub: import('ioredis').Redis }).pub.publish(`${prefix}:external`, '{"x":1}');
  await waitFor(() => assert.deepEqual(external, [`${prefix}:external={"x":1}`]));
  assert.deepEqual(b.frames, ['doc:one', 'other-doc:three']);
});

test('CLUSTER5 Redis transport: while Redis is away publishes fail fast (counted); once back, every wanted channel is subscribed again and a heal is asked for once', async () => {
  const redis = await startPrivateRedis();
  try {
    const prefix = uniquePrefix('transport-away');
    const node = open(redis.url, prefix, 'node');
    const peer = open(redis.url, prefix, 'peer');
    await waitFor(() => node.transport.ready && peer.transport.ready, { message: 'both connected' });
    await node.transport.subscribe('kept');
    assert.equal(node.reconnects(), 0, 'the first connection is not a reconnect');

    await redis.stop();
    await waitFor(() => assert.ok(!node.transport.ready), { message: 'node sees Redis gone' });
    node.transport.publish('kept', bytes('lost'));
    await waitFor(async () => assert.equal((await node.metrics.publishFailures.get()).values[0]?.value, 1), { message: 'publish failure counted' });
    await assert.rejects(node.transport.subscribe('wanted-while-away'));

    await redis.start();
    await waitFor(() => assert.equal(node.reconnects(), 1), { timeoutMs: 15_000, message: 'heal asked for after reconnect' });
    await waitFor(() => peer.transport.ready, { timeoutMs: 15_000, message: 'peer reconnected' });
    peer.transport.publish('kept', bytes('a'));
    peer.transport.publish('wanted-while-away', bytes('b'));
    await waitFor(() => assert.deepEqual(node.frames.sort(), ['kept:a', 'wanted-while-away:b']));
    assert.equal(node.reconnects(), 1);
    assert.equal((await node.metrics.reconnects.get()).values[0]?.value, 1);
  } finally {
    for (const transport of transports.splice(0)) transport.close();
    await redis.stop();
  }
});
