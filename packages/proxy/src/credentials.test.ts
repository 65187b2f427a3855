// The proxy's credentials on a tunnel (CONNECT) in Node, against a small proxy on 127.0.0.1
// that records what each CONNECT carried and answers 407.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createTransport } from './runtime/node/index.js';

const connects: (string | undefined)[] = [];
const proxy = createServer((_req, res) => res.writeHead(400).end());
proxy.on('connect', (req, socket) => {
  connects.push(req.headers['proxy-authorization']);
  socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
});
let port = 0;
before(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  port = (proxy.address() as AddressInfo).port;
});
after(() => proxy.close());

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

test('a proxy URL with only a user name (or only a password) sends it with the CONNECT too', async () => {
  for (const [credentials, expected] of [
    ['tokenuser@', basic('tokenuser:')],
    [':t0ken@', basic(':t0ken')],
    ['user:pass@', basic('user:pass')],
  ] as const) {
    connects.length = 0;
    await using transport = createTransport({ proxy: `http://${credentials}127.0.0.1:${port}` });
    await assert.rejects(transport.fetch('https://example.test/'), { name: 'ProxyError' });
    assert.deepEqual(connects, [expected], credentials);
  }
});

test("a caller's Proxy-Authorization on an https request through a proxy without credentials: a TypeError that says where they go", async () => {
  connects.length = 0;
  await using transport = createTransport({ proxy: `http://127.0.0.1:${port}` });
  const error = await transport
    .fetch('https://example.test/', { headers: { 'Proxy-Authorization': basic('me:secret') } })
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  assert.ok(error instanceof TypeError);
  assert.match(
    error.message,
    /Proxy-Authorization header cannot reach .* put the proxy's credentials in the proxy URL/,
  );
  assert.doesNotMatch(error.message, /fetch failed|secret/);
  assert.deepEqual(connects, [], 'nothing was sent');
});
