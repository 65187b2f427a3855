// What the Node transport reads from a call when it is called (send.ts, `prepare`), against a
// real server on 127.0.0.1: a caller's `Headers` is copied then, as fetch copies it.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ownedHeaders } from '@fetchstack/core/internal';
import { createTransport } from './index.js';

/** A body the transport reads before it sends anything (its encoding waits a turn). */
function form(): FormData {
  const body = new FormData();
  body.append('a', 'hi');
  return body;
}

async function serve() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => res.end('ok'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const transport = createTransport({ proxy: false });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    fetch: transport.fetch,
    seen,
    async [Symbol.asyncDispose]() {
      await transport.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

test('a caller’s Headers changed after the call (while its FormData body is encoded) is sent as it was', async () => {
  await using s = await serve();
  // Opens the transport, so that the next call is prepared when it is made.
  await (await s.fetch(s.url)).text();
  const headers = new Headers({ 'x-a': 'before' });
  const pending = s.fetch(s.url, { method: 'POST', headers, body: form() });
  headers.set('x-a', 'after');
  headers.set('x-b', 'added');
  await (await pending).text();
  assert.equal(s.seen[1]?.['x-a'], 'before');
  assert.equal(s.seen[1]?.['x-b'], undefined);
});

test('Headers a session marked as its own are sent as they are when the body has been read', async () => {
  await using s = await serve();
  await (await s.fetch(s.url)).text();
  const headers = new Headers({ 'x-a': 'before' });
  ownedHeaders.add(headers);
  const pending = s.fetch(s.url, { method: 'POST', headers, body: form() });
  // (Only the session could do this, and it does not: here it shows that no copy was made.)
  headers.set('x-a', 'after');
  await (await pending).text();
  assert.equal(s.seen[1]?.['x-a'], 'after');
});
