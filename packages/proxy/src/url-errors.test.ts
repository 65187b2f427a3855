// A URL that does not parse (the call's, or a redirect's Location the transport follows): the
// error and its causes hold no password or secret query value, as its `url` does not. What
// console.error(error) prints (util.inspect) is checked, causes included.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { wrap } from '@fetchstack/core';
import { createTransport, proxy } from './runtime/node/index.js';

const location = 'http://evil:L0CPW@[::1/';
const server = createServer((_req, res) => res.writeHead(302, { location }).end());
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function printed(call: Promise<Response>): Promise<string> {
  const error = await call.then(
    () => assert.fail('the call should reject'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TypeError, String(error));
  return inspect(error, { depth: 10 });
}

test('a call URL that does not parse: no password or secret parameter in the error or its cause', async () => {
  const bad = 'http://ann:s3cret@[::1/?access_token=T0KEN';
  await using transport = createTransport({ proxy: false });
  const layer = proxy('http://127.0.0.1:9');
  try {
    for (const fetching of [transport.fetch, wrap(fetch, layer)]) {
      const text = await printed(fetching(bad));
      assert.match(text, /Failed to parse URL/);
      assert.ok(!text.includes('s3cret') && !text.includes('T0KEN'), text);
    }
  } finally {
    await layer.close();
  }
});

test('a Location that does not parse, followed by the transport: no password in the error or its cause', async () => {
  await using transport = createTransport({ proxy: false });
  const text = await printed(transport.fetch(`${origin}/r?access_token=T0KEN`));
  assert.ok(!text.includes('L0CPW') && !text.includes('T0KEN'), text);
});
