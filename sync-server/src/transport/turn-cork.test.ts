import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { corkPerTurn } from './turn-cork.js';

/** A server socket with corkPerTurn, its raw TCP socket's write calls counted, and a client. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; writes: () => number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const { port } = wss.address() as { port: number };
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await once(client, 'open');
  const [server] = await accepted;
  const socket = (server as unknown as { _socket: Duplex & { _write: Function; _writev: Function } })._socket;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method].bind(socket);
    socket[method] = (...args: unknown[]) => {
      writes += 1;
      return original(...args);
    };
  }
  corkPerTurn(server);
  return {
    server,
    client,
    writes: () => writes,
    close: async () => {
      client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

test('frames sent in one turn leave in one write, in order, and arrive whole', async () => {
  const { server, client, writes, close } = await pair();
  try {
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        received.push(String(data));
        if (received.length === 200) resolve();
      }),
    );
    for (let i = 0; i < 100; i++) server.send(`a${i}`);
    await Promise.resolve(); // a promise callback in the same turn (where Hocuspocus sends)
    for (let i = 0; i < 100; i++) server.send(`b${i}`);
    await all;
    assert.deepEqual(received, [...Array.from({ length: 100 }, (_, i) => `a${i}`), ...Array.from({ length: 100 }, (_, i) => `b${i}`)]);
    assert.equal(writes(), 1);
  } finally {
    await close();
  }
});

test('each turn flushes on its own: a frame is never held past the turn it was sent in', async () => {
  const { server, client, writes, close } = await pair();
  try {
    for (let turn = 0; turn < 3; turn++) {
      const next = once(client, 'message');
      server.send(`turn ${turn}`);
      const [data] = await next;
      assert.equal(String(data), `turn ${turn}`);
    }
    assert.equal(writes(), 3);
  } finally {
    await close();
  }
});
