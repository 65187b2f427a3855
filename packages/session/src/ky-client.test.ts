// session.client before ky has loaded (this file's own process: ky is not loaded yet), with a
// real server on 127.0.0.1.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { KyInstance } from 'ky';
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

test("session.client takes the session's `fetchstack` per-call settings, in its types too", async () => {
  await using session = createSession({ proxy: false });
  // No cast: the client's options type has `fetchstack` (a type error before), and the
  // client is still a KyInstance wherever one is expected.
  const json = await session.client
    .get(`${base}/`, { fetchstack: { retry: false, timeout: 5_000 } })
    .json();
  assert.deepEqual(json, { ok: true });
  const extended = session.client.extend({ fetchstack: { timeout: 5_000 } });
  assert.deepEqual(await extended.get(`${base}/`).json(), { ok: true });
  const ky: KyInstance = session.client;
  assert.equal(typeof ky.get, 'function');
});
