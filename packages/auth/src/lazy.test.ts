import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { wrap } from '@fetchstack/core';
import { basicAuth, bearerAuth, digestAuth } from './index.js';
import { onFirstCall } from './lazy.js';

// Answers with the Authorization header it got ('-' for none); 401 for the token 'old'.
const server = createServer((req, res) => {
  const got = req.headers.authorization ?? '-';
  res.writeHead(got === 'Bearer old' ? 401 : 200).end(got);
});
let base = '';
before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => server.close());

describe('the per-call code loads on the first call', () => {
  test('bad input still throws when the layer is made', () => {
    assert.throws(
      () => basicAuth('a:b', 'p'),
      /^TypeError: basicAuth\(user, pass\): user must not/,
    );
    assert.throws(
      () => bearerAuth(''),
      /^TypeError: bearerAuth\(token\): token must be a string or a function .*; got an empty string\.$/,
    );
    assert.throws(
      () => digestAuth('u', 'p', { origins: ['x'] }),
      /options\.origins\[0\] must be .*; got a string that is not an absolute URL\.$/,
    );
  });

  test('calls that start together load once; each fetch the layer wraps gets its own', async () => {
    let made = 0;
    const nexts: unknown[] = [];
    const layer = onFirstCall((calls) => {
      made += 1;
      const basic = calls.basicCalls('u', 'p', undefined);
      return (next) => {
        nexts.push(next);
        return basic(next);
      };
    });
    const one = layer(fetch);
    const two = layer(fetch);
    const answers = await Promise.all([one(base), one(base), two(base)]);
    for (const response of answers) assert.equal(await response.text(), 'Basic dTpw');
    assert.equal(made, 1);
    assert.equal(nexts.length, 2);
  });

  test('once loaded, a call returns the loaded fetch’s own promise', async () => {
    const direct = Promise.resolve(new Response('direct'));
    const straight = onFirstCall(() => () => () => direct)(fetch);
    await straight(base);
    assert.equal(straight(base), direct);
  });

  test('a layer’s state is shared by every fetch it wraps: one refresh for both', async () => {
    let refreshes = 0;
    const layer = bearerAuth('old', {
      refresh: () => {
        refreshes += 1;
        return 'new';
      },
    });
    const one = wrap(fetch, layer);
    const two = wrap(fetch, layer);
    assert.equal(await (await one(base)).text(), 'Bearer new');
    assert.equal(await (await two(base)).text(), 'Bearer new');
    assert.equal(refreshes, 1);
  });

  test('credentials go only to the origins allowed, from the first call on', async () => {
    const elsewhere = wrap(fetch, basicAuth('u', 'p', { origins: ['https://api.example.com'] }));
    const here = wrap(fetch, basicAuth('u', 'p', { origins: [base] }));
    const [theirs, ours] = await Promise.all([elsewhere(base), here(base)]);
    assert.equal(await theirs.text(), '-');
    assert.equal(await ours.text(), `Basic ${btoa('u:p')}`);
  });
});
