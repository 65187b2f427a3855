// The layer's code that runs per call loads on the first call (run.ts): bad limits still throw
// when the layer is made, the first calls keep their order and their clock (the load counts in
// the total), and a TimeoutError names the call with its credentials removed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { wrap } from '@fetchstack/core';
import { isTimeoutError, splitTimeout, TimeoutError, timeout } from './index.js';
import { limitsFor, timeoutFetch } from './run.js';

// `/slow?ms=N` answers after N ms; every path is logged in the order it arrived.
const arrived: string[] = [];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  arrived.push(url.pathname);
  const ms = Number(url.searchParams.get('ms') ?? 0);
  const timer = setTimeout(() => res.end('ok'), ms);
  res.on('close', () => clearTimeout(timer));
});
let base = '';
before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('timeout: checks when made, per-call code on first call', () => {
  test('bad limits throw a TypeError naming the option when the layer is made', () => {
    const bad: [unknown, RegExp][] = [
      [
        0,
        /^timeout\(\): the timeout must be a positive number of ms \(at most 2147483647\); got number 0\. Pass false for no limit\.$/,
      ],
      [
        undefined,
        /^timeout\(\): pass a number of ms or \{ total, attempt, read \}; got undefined\./,
      ],
      ['1000', /^timeout\(\): pass a number of ms .*got the string "1000"\./],
      [[], /got an array/],
      [{ total: 0 }, /^timeout\(\): "total" must be a positive number of ms/],
      [{ read: '10' }, /^timeout\(\): "read" must be .*got the string "10"/],
      [
        { totl: 1 },
        /^timeout\(\): unknown option "totl"\. Did you mean "total"\? Known options: total, attempt, read\./,
      ],
      [
        { connect: 1 },
        /^timeout\(\): "connect" is the transport's timeout, not this layer's: set it through @fetchstack\/proxy or createSession\(\{ timeout: \{ connect \} \}\)\.$/,
      ],
      [2 ** 31, /at most 2147483647/],
    ];
    for (const [limits, message] of bad) {
      assert.throws(() => timeout(limits as never), { name: 'TypeError', message });
      assert.throws(() => splitTimeout(limits as never), { name: 'TypeError', message });
    }
  });

  test('calls made together before the load reach the fetch beneath in the order they were made', async () => {
    const f = wrap(fetch, timeout({ total: 5_000 }));
    const g = wrap(fetch, splitTimeout({ attempt: 5_000 }).inner);
    const seen: string[] = [];
    const beneath = (input: string | URL | Request, init?: RequestInit) => {
      seen.push(String(input).replace(base, ''));
      return fetch(input, init);
    };
    const h = wrap(beneath, timeout(5_000));
    const answers = await Promise.all([
      h(`${base}/a`),
      h(`${base}/b`, { fetchstack: { timeout: 4_000 } } as RequestInit),
      h(`${base}/c`),
      f(`${base}/d`),
      g(`${base}/e`),
    ]);
    for (const res of answers) assert.equal(await res.text(), 'ok');
    assert.deepEqual(seen, ['/a', '/b', '/c']);
  });

  test('the caller’s object is copied: changing it later changes nothing', async () => {
    const limits = { total: 5_000 };
    const f = wrap(fetch, timeout(limits));
    limits.total = 1;
    const res = await f(`${base}/slow?ms=50`);
    assert.equal(await res.text(), 'ok');
  });

  test('a call that waited for the load has the rest of its time: past it, it rejects without a request', async () => {
    const timed = timeoutFetch(fetch, () => limitsFor({ total: 100 }, undefined));
    const before = arrived.length;
    const error = await timed(`${base}/never`, undefined, performance.now() - 150).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(isTimeoutError(error));
    assert.equal(error.limit, 'total');
    assert.equal(error.ms, 100);
    assert.equal(arrived.length, before, 'nothing was sent');
    // Some time left: the call is sent, and its clock fires when that time runs out (never
    // early), long before the server answers.
    const started = performance.now();
    await assert.rejects(timed(`${base}/slow?ms=3000`, undefined, started - 60), {
      name: 'TimeoutError',
      limit: 'total',
    });
    const took = performance.now() - started;
    assert.ok(took >= 40, `fired after ${took} ms`);
    assert.equal(arrived.at(-1), '/slow', 'the call was sent');
  });

  test('a call its caller aborted while it waited for the load rejects with the reason, unsent', async () => {
    const timed = timeoutFetch(fetch, () => limitsFor({ total: 5_000 }, undefined));
    const before = arrived.length;
    const reason = new Error('gave up');
    const error = await timed(
      `${base}/never`,
      { signal: AbortSignal.abort(reason) },
      performance.now(),
    ).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.equal(error, reason);
    assert.equal(arrived.length, before, 'nothing was sent');
  });

  test('a TimeoutError names the call, credentials removed', async () => {
    const url = new URL(`${base}/slow?ms=3000&token=s3cret`);
    url.username = 'user';
    url.password = 'pa55';
    const secret = `http://user:pa55@${url.host}/slow?ms=3000&token=s3cret`;
    const f = wrap(fetch, timeout({ attempt: 50 }));
    // fetch refuses URLs with credentials: the layer beneath answers instead (a real request).
    const beneath = wrap(
      (_input: string | URL | Request, init?: RequestInit) => fetch(`${base}/slow?ms=3000`, init),
      timeout({ attempt: 50 }),
    );
    const error = await beneath(secret, { method: 'post' }).then(
      () => assert.fail('resolved'),
      (e: unknown) => e as TimeoutError,
    );
    assert.ok(error instanceof TimeoutError && isTimeoutError(error));
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.method, 'POST');
    assert.equal(error.limit, 'attempt');
    assert.doesNotMatch(error.message, /pa55|s3cret/);
    assert.doesNotMatch(error.url, /pa55|s3cret/);
    assert.match(
      error.message,
      /^POST http:\/\/.*\/slow\?ms=3000.* timed out: no response headers within the per-try \(attempt\) timeout \(attempt: 50 ms\); raise `attempt`/,
    );
    await assert.rejects(f(`${base}/slow?ms=3000`), { name: 'TimeoutError', limit: 'attempt' });
  });
});

test('a call that waited before reaching the layer (since) has only what is left of its total', async () => {
  const layer = timeout({ total: 1_000 })(fetch) as (
    input: string,
    init?: RequestInit,
    since?: number,
  ) => Promise<Response>;
  // Warm: the per-call code is loaded.
  await (await layer(`${base}/slow?ms=0`)).text();
  for (const loaded of [true, false]) {
    const call = loaded ? layer : (timeout({ total: 1_000 })(fetch) as typeof layer);
    const started = performance.now();
    // It came in 800 ms ago: 200 ms are left, not the whole second.
    await assert.rejects(call(`${base}/slow?ms=5000`, undefined, started - 800), TimeoutError);
    const took = performance.now() - started;
    assert.ok(took < 700, `${loaded ? 'loaded' : 'first call'}: rejected after ${took} ms`);
  }
});

test('a layer beneath sees the clock reading the call was armed with, and only while it is handed down', async () => {
  const { armedAt, callClock } = await import('@fetchstack/core/internal');
  const seen: (number | undefined)[] = [];
  const nested = timeout({ total: 500 })(async () => {
    seen.push(armedAt.at);
    return new Response('');
  });
  const layer = timeout({ total: 1_000 })((input, init) => {
    seen.push(armedAt.at, callClock());
    if (input === 'throw') throw new TypeError('beneath');
    return nested(input, init);
  });
  const before = performance.now();
  await layer('https://example.com/');
  const [outer, clock, inner] = seen;
  assert.ok(outer !== undefined && outer >= before, `the reading beneath: ${outer}`);
  assert.equal(clock, outer);
  assert.ok(inner !== undefined && inner >= outer, `a nested timeout's own reading: ${inner}`);
  // Put back after the call is handed down, also when the fetch beneath throws.
  assert.equal(armedAt.at, undefined);
  await assert.rejects(layer('throw'), TypeError);
  assert.equal(armedAt.at, undefined);
  assert.ok(callClock() >= before);
});
