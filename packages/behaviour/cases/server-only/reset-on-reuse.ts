// Server-only cases (Node, Deno, Bun): a pooled keep-alive connection that the server resets
// (TCP RST) as the next request arrives on it. The session, with retry off, sends an idempotent
// request again once on a new connection; a POST is never sent twice.
import net from 'node:net';
import { createSession } from '@fetchstack/session';
import { equal, group, ok, type TestEnv, test } from '@fetchstack/test-kit';

/**
 * A raw HTTP/1.1 server on 127.0.0.1: the first request on each connection gets a keep-alive
 * 200, the second one on the same connection a reset (no byte of a response). `seen` lists
 * the requests as `METHOD c<connection>#<request on it>`.
 */
async function resettingServer() {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    const c = ++connections;
    let requests = 0;
    let buffer = '';
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Uint8Array) => {
      buffer += new TextDecoder('latin1').decode(chunk);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.slice(end + 4 + length);
        requests++;
        seen.push(`${head.split(' ')[0]} c${c}#${requests}`);
        if (requests > 1) {
          socket.resetAndDestroy();
          return;
        }
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: keep-alive\r\nkeep-alive: timeout=30\r\n\r\nok',
        );
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/reset-on-reuse`,
    seen,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

const cannotReset = (_env: TestEnv): string | undefined =>
  typeof (net.Socket.prototype as { resetAndDestroy?: unknown }).resetAndDestroy !== 'function'
    ? "this runtime's node:net has no socket.resetAndDestroy(), so the case's server cannot send a reset"
    : undefined;

group('proxy', () => {
  test(
    'reset on reuse: with retry off, a GET and a PUT that the server reset on a kept-alive connection are sent again once, on a new connection',
    async () => {
      for (const method of ['GET', 'PUT']) {
        await using server = await resettingServer();
        await using session = createSession({ retry: false });
        const init: RequestInit = method === 'GET' ? {} : { method, body: 'x' };
        const first = await session(server.url, init);
        equal(await first.text(), 'ok', `${method}: the first request is answered`);
        const second = await session(server.url, init);
        equal(second.status, 200, `${method}: the reset request was sent again and answered`);
        equal(await second.text(), 'ok');
        // Sent on the kept-alive connection (reset there), then once more on a new one.
        equal(
          server.seen.join(', '),
          `${method} c1#1, ${method} c1#2, ${method} c2#1`,
          `${method}: what the server saw`,
        );
      }
    },
    { skip: cannotReset, timeout: 20_000 },
  );

  test(
    'reset on reuse: with retry off, a POST that the server reset on a kept-alive connection is not sent again; the call rejects',
    async ({ runtime }) => {
      await using server = await resettingServer();
      await using session = createSession({ retry: false });
      const first = await session(server.url, { method: 'POST', body: 'once' });
      equal(await first.text(), 'ok', 'the first POST is answered');
      const failed = await session(server.url, { method: 'POST', body: 'once' }).then(
        (res) => res,
        (error: unknown) => error as Error & { cause?: { code?: string } },
      );
      ok(
        !(failed instanceof Response),
        `the POST on the reset connection rejects; the server saw ${server.seen.join(', ')}`,
      );
      equal(failed.name, 'TypeError', `a network error, got ${failed.message}`);
      if (runtime === 'node') equal(failed.cause?.code, 'ECONNRESET');
      equal(
        server.seen.join(', '),
        'POST c1#1, POST c1#2',
        'the reset POST reached the server once and was not sent again',
      );
    },
    {
      skip: (env) =>
        cannotReset(env) ??
        (env.runtime === 'deno'
          ? "Deno's own fetch sends the reset POST again by itself, below the transport, on a new connection (measured: the server saw it twice), and Deno.createHttpClient has no setting to stop that"
          : undefined),
      timeout: 20_000,
    },
  );
});
