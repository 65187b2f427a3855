// A session copies a call's `init` once per try and lets its own layers add to that copy (the
// default headers, the jar's cookie). These cases check what that must never change: the
// caller's `init` and headers, and what a retry or a redirect hop sends (nothing added twice).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSession } from './index.js';

let base = '';
const seen: IncomingHttpHeaders[] = [];
const failed = new Set<string>();
const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/login') {
    res.writeHead(200, { 'set-cookie': 'sid=abc; Path=/' });
    return res.end();
  }
  seen.push(req.headers);
  const id = url.searchParams.get('id') ?? '';
  if (url.pathname === '/fail-once' && !failed.has(id)) {
    failed.add(id);
    // The failed try's answer moves the session on: the retry must carry the new cookie.
    res.writeHead(503, { 'set-cookie': 'sid=next; Path=/' });
    return res.end();
  }
  if (url.pathname === '/hop') {
    res.writeHead(302, { location: '/end' });
    return res.end();
  }
  res.writeHead(200);
  res.end('ok');
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function loggedIn() {
  const session = createSession({
    proxy: false,
    headers: { 'X-A': '1' },
    retry: { limit: 1, backoff: { initial: 1 } },
  });
  await (await session(`${base}/login`)).text();
  return session;
}

const sent = (h: IncomingHttpHeaders) => [h.cookie, h['x-a'], h['x-b']];

test('a retry carries the cookie the failed try set, a redirect hop the default header and the cookie once; the caller’s init is left as it was', async () => {
  for (const [path, given] of [
    ['/fail-once?id=plain', { headers: { 'X-B': '2' } }],
    ['/fail-once?id=headers', { headers: new Headers({ 'X-B': '2' }) }],
    ['/fail-once?id=manual', { headers: { 'X-B': '2' }, redirect: 'manual' as const }],
    ['/hop', { headers: { 'X-B': '2' } }],
  ] as const) {
    await using session = await loggedIn();
    seen.length = 0;
    const before = given.headers instanceof Headers ? [...given.headers] : { ...given.headers };
    const res = await session(`${base}${path}`, given);
    assert.equal(res.status, 200, path);
    await res.text();
    assert.deepEqual(
      seen.map(sent),
      [
        ['sid=abc', '1', '2'],
        [path === '/hop' ? 'sid=abc' : 'sid=next', '1', '2'],
      ],
      path,
    );
    // What the caller passed is not changed, so sending it again sends the same.
    const after = given.headers instanceof Headers ? [...given.headers] : { ...given.headers };
    assert.deepEqual(after, before, path);
    assert.deepEqual(
      Object.keys(given),
      'redirect' in given ? ['headers', 'redirect'] : ['headers'],
    );
  }
});
