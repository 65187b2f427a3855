// The Node transport's response bodies (exchange.ts), against a real server on 127.0.0.1:
// connection reuse, backpressure, cancel, abort, redirect bodies, decoding.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createTransport } from './index.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(route: Route) {
  let connections = 0;
  const server = createServer(route);
  server.on('connection', () => connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport = createTransport({ proxy: false });
  return {
    base,
    fetch: transport.fetch,
    connections: () => connections,
    async [Symbol.asyncDispose]() {
      await transport.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

test('sequential calls share one keep-alive connection', async () => {
  await using s = await serve((_req, res) => res.end('ok'));
  for (let i = 0; i < 20; i++) assert.equal(await (await s.fetch(`${s.base}/`)).text(), 'ok');
  assert.equal(s.connections(), 1);
});

test('a body larger than the buffer arrives whole, read at the reader’s pace', async () => {
  const big = Buffer.alloc(4 * 1024 * 1024, 7);
  await using s = await serve((_req, res) => res.end(big));
  const res = await s.fetch(`${s.base}/`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    await new Promise((tick) => setImmediate(tick));
  }
  assert.equal(total, big.length);
  assert.equal(await (await s.fetch(`${s.base}/`)).arrayBuffer().then((b) => b.byteLength), total);
});

test('cancelling a body stops the response; the next call works', async () => {
  let stopped: Promise<void> | undefined;
  await using s = await serve((req, res) => {
    if (req.url === '/endless') {
      stopped = new Promise((done) => res.on('close', () => done()));
      res.write('first');
      return;
    }
    res.end('next');
  });
  const res = await s.fetch(`${s.base}/endless`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), 'first');
  await reader.cancel();
  await stopped;
  assert.equal(await (await s.fetch(`${s.base}/`)).text(), 'next');
});

test('an abort after the head errors the body with the abort’s reason', async () => {
  await using s = await serve((_req, res) => res.write('part'));
  const controller = new AbortController();
  const res = await s.fetch(`${s.base}/`, { signal: controller.signal });
  const reason = new Error('stop');
  controller.abort(reason);
  await assert.rejects(res.text(), (error) => error === reason);
});

test('a redirect’s body over 64 KiB is not read: its connection closes, the redirect is followed', async () => {
  let movedOn: Socket | undefined;
  let closed: Promise<void> | undefined;
  let hereOn: Socket | undefined;
  await using s = await serve((req, res) => {
    if (req.url === '/moved') {
      movedOn = req.socket;
      closed = new Promise((done) => req.socket.on('close', () => done()));
      res.writeHead(302, { location: '/here', 'content-length': 200_000 });
      res.end(Buffer.alloc(200_000));
      return;
    }
    hereOn = req.socket;
    res.end('here');
  });
  const res = await s.fetch(`${s.base}/moved`);
  assert.equal(res.status, 200);
  assert.equal(res.redirected, true);
  assert.equal(await res.text(), 'here');
  await closed;
  assert.notEqual(hereOn, movedOn);
});

test('gzip is decoded; HEAD and 204 have no body', async () => {
  await using s = await serve((req, res) => {
    if (req.url === '/204') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-encoding': 'gzip', 'set-cookie': ['a=1', 'b=2'] });
    res.end(req.method === 'HEAD' ? undefined : gzipSync('hello'));
  });
  const res = await s.fetch(`${s.base}/`);
  assert.equal(await res.text(), 'hello');
  assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.equal((await s.fetch(`${s.base}/`, { method: 'HEAD' })).body, null);
  assert.equal((await s.fetch(`${s.base}/204`)).body, null);
});

test('a call waiting for a connection of a full pool rejects at once on abort; the pool goes on', async () => {
  let release: (() => void) | undefined;
  let connections = 0;
  const server = createServer((req, res) => {
    if (req.url === '/slow') release = () => res.end('slow');
    else res.end('fast');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport = createTransport({ proxy: false, pool: { connections: 1 } });
  try {
    const slow = transport.fetch(`${base}/slow`);
    while (!release) await new Promise((tick) => setTimeout(tick, 5));
    const controller = new AbortController();
    const queued = transport.fetch(`${base}/fast`, { signal: controller.signal });
    const reason = new Error('the caller gave up');
    const settled = Promise.race([
      queued.then(
        () => 'resolved',
        (error) => error,
      ),
      new Promise((done) => setTimeout(() => done('still waiting'), 500)),
    ]);
    controller.abort(reason);
    assert.equal(await settled, reason, 'rejected with the reason while the pool was still full');
    release();
    assert.equal(await (await slow).text(), 'slow');
    assert.equal(await (await transport.fetch(`${base}/fast`)).text(), 'fast');
    assert.equal(connections, 1, 'the pool kept its one connection');
  } finally {
    release?.();
    await transport.close();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});
