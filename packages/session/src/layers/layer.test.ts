import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Fetch, Middleware } from '@fetchstack/core';
import { createSession } from '../lean.js';
import { onFirstCall } from './layer.js';

const ok: Fetch = async () => new Response('ok');

describe('onFirstCall: a layer whose code loads on its first call', () => {
  test('loads once for calls that start together, then calls go straight to the loaded fetch', async () => {
    let loads = 0;
    let made = 0;
    let resolveLoad!: () => void;
    const loaded = new Promise<void>((resolve) => {
      resolveLoad = resolve;
    });
    const inner: Middleware = (next) => {
      made += 1;
      return (input, init) => next(input, init);
    };
    const middleware = onFirstCall(async () => {
      loads += 1;
      await loaded;
      return inner;
    });
    const fetch = middleware(ok);
    const waiting = [fetch('https://example.com/a'), fetch('https://example.com/b')];
    assert.equal(loads, 1);
    resolveLoad();
    for (const response of await Promise.all(waiting)) assert.equal(await response.text(), 'ok');
    assert.equal(loads, 1);
    assert.equal(made, 1);
    // Loaded: the call returns the loaded fetch's own promise (no promise of the load in between).
    const direct = Promise.resolve(new Response('direct'));
    const straight = onFirstCall(async () => () => () => direct)(ok);
    await straight('https://example.com/');
    assert.equal(straight('https://example.com/'), direct);
  });

  test('each stack it is composed into makes its own fetch from the one load', async () => {
    let loads = 0;
    const nexts: Fetch[] = [];
    const middleware = onFirstCall(async () => {
      loads += 1;
      return (next) => {
        nexts.push(next);
        return next;
      };
    });
    const one: Fetch = async () => new Response('one');
    const two: Fetch = async () => new Response('two');
    assert.equal(await (await middleware(one)('https://example.com/')).text(), 'one');
    assert.equal(await (await middleware(two)('https://example.com/')).text(), 'two');
    assert.equal(loads, 1);
    assert.deepEqual(nexts, [one, two]);
  });

  test('a load that fails rejects the calls waiting for it with its error', async () => {
    const failure = new Error('the chunk could not be loaded');
    const fetch = onFirstCall(async () => {
      throw failure;
    })(ok);
    await assert.rejects(fetch('https://example.com/'), failure);
    await assert.rejects(fetch('https://example.com/'), failure);
  });
});

describe('optional layers load on first use, and are checked when the session is made', () => {
  test('a bad value still throws a TypeError naming the option, synchronously', () => {
    const cases: [object, RegExp][] = [
      [{ cache: { maxBodySize: -1 } }, /^createSession\(\): "cache.maxBodySize" must be/],
      [{ cache: { store: {} } }, /^createSession\(\): "cache.store" must be a cache store/],
      [{ limit: { concurrency: 0 } }, /^createSession\(\): "limit.concurrency" must be/],
      [{ limit: {} }, /^createSession\(\): "limit": give "concurrency", "rate" or both/],
      [
        { hooks: { beforeRequest: 1 } },
        /^createSession\(\): hooks.beforeRequest must be a function/,
      ],
      [
        { store: { cooldown: {} } },
        /^createSession\(\): "store": "cooldown" must be a cool-down store/,
      ],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => createSession({ fetch: ok, proxy: false, ...options }),
        (error) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  test('hooks, limit, cache and the fleet cool-down work from the first call', async () => {
    const seen: string[] = [];
    const cooldowns: string[] = [];
    let calls = 0;
    const fetch: Fetch = async () => {
      calls += 1;
      return new Response('hi', { headers: { 'cache-control': 'max-age=60' } });
    };
    const session = createSession({
      fetch,
      proxy: false,
      cache: true,
      limit: { concurrency: 1 },
      hooks: { afterResponse: ({ response }) => void seen.push(String(response.status)) },
      store: {
        cooldown: {
          get: (origin) => void cooldowns.push(origin),
          set: () => {},
        },
      },
    });
    const [a, b] = await Promise.all([
      session('https://example.com/x'),
      session('https://example.com/x'),
    ]);
    assert.equal(await a.text(), 'hi');
    assert.equal(await b.text(), 'hi');
    const c = await session('https://example.com/x');
    assert.equal(await c.text(), 'hi');
    assert.equal(calls, 2); // the two first calls started before anything was stored; the third is a hit
    assert.deepEqual(seen, ['200', '200']);
    assert.deepEqual(cooldowns, ['https://example.com', 'https://example.com']);
    await session.close();
  });

  test('an afterResponse hook that reads bodyUsed makes no copy: cancelling the body stops its source', async () => {
    let cancelled = false;
    const fetch: Fetch = async () =>
      new Response(
        new ReadableStream({
          pull: (controller) => controller.enqueue(new Uint8Array(1024)),
          cancel: () => {
            cancelled = true;
          },
        }),
      );
    const used: boolean[] = [];
    await using session = createSession({
      fetch,
      proxy: false,
      hooks: { afterResponse: ({ response }) => void used.push(response.bodyUsed) },
    });
    const res = await session('https://example.com/endless');
    assert.deepEqual(used, [false]);
    await res.body?.cancel();
    // With a copy (a tee), the source would go on for the copy nobody reads.
    assert.equal(cancelled, true, 'the source was cancelled');
  });
});
