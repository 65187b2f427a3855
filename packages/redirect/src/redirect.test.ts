// The layer over Node's own fetch against two local servers (localhost and 127.0.0.1 are two
// origins): what the final response says of the chain is what Node's fetch says.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { wrap } from '@fetchstack/core';
import { redirect } from './index.js';

let there = '';
let here = '';
const target = createServer((req, res) => res.end(req.url));
const origin = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/r') return res.end(req.url);
  res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
  res.end();
});
before(async () => {
  await new Promise<void>((done) => target.listen(0, '127.0.0.1', done));
  await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done));
  there = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  here = `http://localhost:${(origin.address() as AddressInfo).port}`;
});
after(() => {
  target.close();
  origin.close();
});

test("type, url and redirected after a redirect are Node's fetch's (cors once a hop crossed origins)", async () => {
  const follow = wrap(fetch, redirect());
  const urls = [
    `${here}/r?to=${encodeURIComponent(`${there}/away`)}`,
    `${here}/r?to=${encodeURIComponent(`${here}/r?to=/home`)}`,
  ];
  for (const url of urls) {
    const native = await fetch(url);
    const ours = await follow(url);
    assert.deepEqual(
      [ours.type, ours.url, ours.redirected, await ours.text()],
      [native.type, native.url, native.redirected, await native.text()],
      url,
    );
  }
  assert.equal((await follow(urls[0]!)).type, 'cors');
});

test('a Location that is not a URL: no password or secret query value in the error, its cause included', async () => {
  const follow = wrap(fetch, redirect());
  // The Location names a password and does not parse; the called URL has a secret parameter.
  const location = 'http://evil:L0CPW@[::1/';
  const url = `${here}/r?to=${encodeURIComponent(location)}&access_token=QT0KEN`;
  const error = await follow(url).then(
    () => assert.fail('a Location that is not a URL is not followed'),
    (e: unknown) => e as Error & { code?: string },
  );
  assert.equal(error.code, 'BAD_LOCATION');
  // What console.error(error) prints: the message, the properties and the cause chain.
  const printed = inspect(error, { depth: 10 }).replaceAll(encodeURIComponent(location), '');
  assert.ok(!printed.includes('L0CPW'), printed);
  assert.ok(!printed.includes('QT0KEN'), printed);
});
