// Hooks watch calls: what one returns is ignored, so an arrow that returns a value (an array's
// `push`, a logger's result) is a hook as it is written, for TypeScript and at run time.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSession } from './index.js';

let base = '';
const server = createServer((req, res) => {
  res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'text/plain' });
  res.end('ok');
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('a hook that returns a value (not a request, response or error) is fine: the call goes on', async () => {
  const seen: string[] = [];
  await using session = createSession({
    proxy: false,
    retry: { limit: 1, backoff: { initial: 1 } },
    hooks: {
      beforeRequest: ({ request }) => seen.push(`before ${new URL(request.url).pathname}`),
      afterResponse: [
        ({ response }) => seen.push(`after ${response.status}`),
        async ({ attempt }) => `attempt ${attempt}`,
      ],
      beforeRetry: ({ attempt }) => seen.push(`retry ${attempt}`),
    },
  });
  assert.equal(await (await session(`${base}/ok`)).text(), 'ok');
  assert.equal((await session(`${base}/fail`)).status, 503);
  assert.deepEqual(seen, [
    'before /ok',
    'after 200',
    'before /fail',
    'after 503',
    'retry 1',
    'before /fail',
    'after 503',
  ]);
});
