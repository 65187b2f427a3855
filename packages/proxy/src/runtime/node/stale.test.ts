// Stale keep-alive connections in the Node transport (stale.ts, send.ts): the judgement, and
// against a real server on 127.0.0.1 that closes or resets a socket when its second request
// arrives: what is sent again once on a new connection, and what is never sent twice.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { createTransport } from './index.js';
import { isStale, staleConnection } from './stale.js';

test('isStale: a close or reset on a connection that had read bytes; nothing else', () => {
  for (const code of ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']) {
    assert.equal(isStale(code, 120), true, `${code} on a reused connection`);
    assert.equal(isStale(code, 0), false, `${code} on a new connection`);
    assert.equal(isStale(code, undefined), false, `${code}, bytes unknown`);
  }
  for (const code of ['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', undefined]) {
    assert.equal(isStale(code, 120), false, String(code));
  }
});

test('staleConnection: a SocketError says its bytes; a reset nobody watched is not stale', () => {
  const closed = (bytesRead: unknown) => ({ code: 'UND_ERR_SOCKET', socket: { bytesRead } });
  assert.equal(staleConnection(closed(75)), true);
  assert.equal(staleConnection(closed(0)), false);
  assert.equal(staleConnection(closed('75')), false);
  assert.equal(staleConnection({ code: 'UND_ERR_SOCKET', socket: null }), false);
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  assert.equal(staleConnection(reset), false, 'not from a watched socket: bytes unknown');
  assert.equal(staleConnection(null), false);
  assert.equal(staleConnection('ECONNRESET'), false);
});

type Ending = 'reset' | 'close' | 'reset-after-head';

/**
 * A raw HTTP/1.1 server: the first `answered` requests on a socket get a keep-alive 200
 * (on the first connection only, with `firstOnly`: later ones answer none); the next one
 * meets `ending` (a reset, a close without a byte, or a head then a reset).
 */
async function serve(ending: Ending, answered = 1, firstOnly = false) {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    const n = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let requests = 0;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.slice(end + 4 + length);
        requests++;
        seen.push(`${head.split(' ')[0]} c${n}`);
        if (requests <= (firstOnly && n > 1 ? 0 : answered)) {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nkeep-alive: timeout=30\r\n\r\nok');
        } else if (ending === 'close') {
          socket.destroy();
          return;
        } else if (ending === 'reset') {
          socket.resetAndDestroy();
          return;
        } else {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npart', () =>
            setTimeout(() => socket.resetAndDestroy(), 20),
          );
          return;
        }
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const transport = createTransport({ proxy: false });
  return {
    url,
    fetch: transport.fetch,
    seen,
    async [Symbol.asyncDispose]() {
      await transport.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

// undici closes a connection after a HEAD, or a DELETE with a body: never reused.
const bodyOf = (method: string): RequestInit =>
  method === 'PUT' || method === 'POST' || method === 'PATCH' ? { method, body: 'x' } : { method };

for (const ending of ['reset', 'close'] as const) {
  for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
    test(`${method}: a ${ending} of the reused connection is sent again once, on a new one`, async () => {
      await using s = await serve(ending);
      await (await s.fetch(s.url, bodyOf(method))).arrayBuffer();
      const res = await s.fetch(s.url, bodyOf(method));
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      assert.deepEqual(s.seen, [`${method} c1`, `${method} c1`, `${method} c2`]);
    });
  }

  for (const method of ['POST', 'PATCH']) {
    test(`${method}: a ${ending} of the reused connection is never sent twice`, async () => {
      await using s = await serve(ending);
      await (await s.fetch(s.url, bodyOf(method))).arrayBuffer();
      const error = await s.fetch(s.url, bodyOf(method)).then(
        () => assert.fail('resolved'),
        (e: unknown) => e as TypeError & { cause?: { code?: string } },
      );
      assert.ok(error instanceof TypeError, String(error));
      assert.equal(error.cause?.code, ending === 'reset' ? 'ECONNRESET' : 'UND_ERR_SOCKET');
      assert.deepEqual(s.seen, [`${method} c1`, `${method} c1`]);
    });
  }

  test(`GET: a ${ending} of a new connection is not sent again`, async () => {
    await using s = await serve(ending, 0);
    const error = await s.fetch(s.url).then(
      () => assert.fail('resolved'),
      (e: unknown) => e as TypeError & { cause?: { code?: string } },
    );
    assert.ok(error instanceof TypeError, String(error));
    assert.equal(error.cause?.code, ending === 'reset' ? 'ECONNRESET' : 'UND_ERR_SOCKET');
    assert.deepEqual(s.seen, ['GET c1']);
  });
}

test('GET: a reset after the response head errors the body; the request is not sent again', async () => {
  await using s = await serve('reset-after-head');
  await (await s.fetch(s.url)).text();
  const res = await s.fetch(s.url);
  assert.equal(res.status, 200);
  await assert.rejects(res.text(), (error: Error) => {
    assert.equal(error.name, 'TypeError');
    return true;
  });
  assert.deepEqual(s.seen, ['GET c1', 'GET c1']);
});

test('GET: when the new connection is reset too, the call fails: sent twice at most', async () => {
  await using s = await serve('reset', 1, true);
  await (await s.fetch(s.url)).text();
  const error = await s.fetch(s.url).then(
    () => assert.fail('resolved'),
    (e: unknown) => e as TypeError & { cause?: { code?: string } },
  );
  assert.ok(error instanceof TypeError, String(error));
  assert.equal(error.cause?.code, 'ECONNRESET');
  assert.deepEqual(s.seen, ['GET c1', 'GET c1', 'GET c2']);
});

test('PUT: a Blob body, streamed, is sent again whole on a new connection after a reset of the reused one', async () => {
  await using s = await serve('reset');
  const body = new Blob(['x'.repeat(256 * 1024)]);
  await (await s.fetch(s.url, { method: 'PUT', body })).arrayBuffer();
  const res = await s.fetch(s.url, { method: 'PUT', body });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  // The server counts a request only once its whole body (by its Content-Length) arrived.
  assert.deepEqual(s.seen, ['PUT c1', 'PUT c1', 'PUT c2']);
});
