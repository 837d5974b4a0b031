import { strict as assert } from 'node:assert';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TcpProxy } from './tcp-proxy.js';

/** An echo server on port 0. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with everything received once `bytes` arrived, or with what arrived by `timeoutMs`. */
function receive(socket: Socket, bytes: number, timeoutMs = 2000): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ text, ms: Date.now() - started });
    };
    const onData = (data: Buffer) => {
      text += data.toString();
      if (text.length >= bytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', onData);
  });
}

function closed(socket: Socket): Promise<{ error: string | undefined }> {
  return new Promise((resolve) => {
    let error: string | undefined;
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.once('close', () => resolve({ error }));
  });
}

describe('chaos TCP proxy', () => {
  let echo: { server: Server; port: number };
  before(async () => {
    echo = await echoServer();
  });
  after(() => echo.server.close());

  it('passes bytes through both ways', async () => {
    const proxy = new TcpProxy({ name: 'p', target: () => echo.port });
    const port = await proxy.listen();
    const socket = await open(port);
    const reply = receive(socket, 5);
    socket.write('hello');
    assert.equal((await reply).text, 'hello');
    socket.destroy();
    await proxy.close();
  });

  it('adds latency in each direction and keeps order', async () => {
    const proxy = new TcpProxy({ name: 'p', target: () => echo.port });
    const port = await proxy.listen();
    proxy.latencyMs = 100;
    const socket = await open(port);
    const reply = receive(socket, 6);
    socket.write('abc');
    socket.write('def');
    const { text, ms } = await reply;
    assert.equal(text, 'abcdef');
    assert.ok(ms >= 190, `round trip took ${ms} ms, expected ≥ 200 (2 × 100)`);
    socket.destroy();
    await proxy.close();
  });

  it('blackhole holds bytes without closing, and delivers them on heal', async () => {
    const proxy = new TcpProxy({ name: 'p', target: () => echo.port });
    const port = await proxy.listen();
    const socket = await open(port);
    proxy.blackhole();
    const held = receive(socket, 4, 300);
    socket.write('ping');
    assert.equal((await held).text, '', 'nothing comes back while blackholed');
    assert.equal(socket.destroyed, false);
    assert.equal(proxy.heldBytes, 4);
    // A connection opened during the blackhole is accepted and held too.
    const late = await open(port);
    const lateReply = receive(late, 4);
    late.write('late');
    const reply = receive(socket, 4);
    proxy.pass();
    assert.equal((await reply).text, 'ping');
    assert.equal((await lateReply).text, 'late');
    socket.destroy();
    late.destroy();
    await proxy.close();
  });

  it('resetAll sends RST to every open connection', async () => {
    const proxy = new TcpProxy({ name: 'p', target: () => echo.port });
    const port = await proxy.listen();
    const socket = await open(port);
    const reply = receive(socket, 1);
    socket.write('x');
    await reply;
    const outcome = closed(socket);
    assert.equal(proxy.resetAll(), 1);
    assert.equal((await outcome).error, 'ECONNRESET');
    assert.equal(proxy.connections, 0);
    await proxy.close();
  });

  it('closes connections while the target is down, and refuses when told to', async () => {
    let target: number | null = null;
    const proxy = new TcpProxy({ name: 'p', target: () => target });
    const port = await proxy.listen();
    const down = await open(port);
    await closed(down);
    target = echo.port;
    proxy.refuse();
    const refused = await open(port).catch(() => null);
    if (refused) assert.equal((await closed(refused)).error, 'ECONNRESET');
    proxy.pass();
    const socket = await open(port);
    const reply = receive(socket, 2);
    socket.write('ok');
    assert.equal((await reply).text, 'ok');
    socket.destroy();
    await proxy.close();
  });
});
