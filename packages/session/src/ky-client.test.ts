// session.client before ky has loaded (this file's own process: ky is not loaded yet), with a
// real server on 127.0.0.1.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSession } from './index.js';

let base = '';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('the first call through session.client with an option ky refuses rejects (it never settled)', async () => {
  await using session = createSession({ proxy: false });
  const pending = session.client
    .get(`${base}/`, { headers: { 'bad name': 'x' } })
    .json()
    .then(
      () => 'resolved',
      (error: unknown) => error,
    );
  const outcome = await Promise.race([
    pending,
    new Promise((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5_000).unref()),
  ]);
  assert.ok(outcome instanceof TypeError, String(outcome));
  // The same call made once ky is there fails as well (ky throws at once); a good one answers.
  await assert.rejects(
    async () => session.client.get(`${base}/`, { headers: { 'bad name': 'x' } }).json(),
    TypeError,
  );
  assert.deepEqual(await session.client.get(`${base}/`).json(), { ok: true });
});
