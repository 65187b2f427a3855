// One command: `pnpm --filter @fetchstack/example-hmac-signing start`.
// Starts the project's test server, sends signed requests, and checks on the
// server's side of the wire (its /echo of what it received) that each signature verifies,
// and that a request changed after signing does not.
import { wrap } from '@fetchstack/core';
import { startServers } from '@fetchstack/test-server';
import { hmacSigning, verify } from './hmac-signing.mjs';

const secrets = { demo: 'correct horse battery staple' };
const servers = await startServers();
const base = servers.info.http;
let failures = 0;

function report(label, result, expectOk) {
  const good = result.ok === expectOk;
  if (!good) failures += 1;
  console.log(
    `${good ? 'ok  ' : 'FAIL'} ${label}: ${result.ok ? `verified (key ${result.keyId})` : `rejected (${result.reason})`}`,
  );
}

try {
  const api = wrap(fetch, hmacSigning({ keyId: 'demo', secret: secrets.demo }));

  const get = await (await api(`${base}/echo/orders?page=2`)).json();
  report('GET /echo/orders?page=2', await verify(get, secrets), true);

  const post = await (
    await api(`${base}/echo/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', qty: 1 }),
    })
  ).json();
  report('POST /echo/orders (JSON body)', await verify(post, secrets), true);

  const form = new FormData();
  form.set('note', 'multipart works too');
  const multipart = await (await api(`${base}/echo/upload`, { method: 'PUT', body: form })).json();
  report('PUT /echo/upload (FormData body)', await verify(multipart, secrets), true);

  // What a server must refuse: the same signed request with its body changed in transit.
  report(
    'tampered body',
    await verify({ ...post, body: post.body.replace('1', '9') }, secrets),
    false,
  );
  report('wrong secret', await verify(get, { demo: 'guess' }), false);
} finally {
  await servers.close();
}

console.log(failures === 0 ? 'all signatures behaved' : `${failures} check(s) failed`);
process.exitCode = failures === 0 ? 0 : 1;
