// A smoke test of the Redis store in any runtime (Node, Deno, Bun), on the built package:
// slots, the cache store (binary body), the cool-downs (pub/sub between two stores) and the
// retry budget.
// Plain JavaScript, web APIs and the store only. REDIS_URL: a running redis-server.
// Prints "ok <name>" / "FAIL <name>: <why>" per check, then "N passed, N failed".
import { createRedisStore } from '../dist/index.js';
import { assert, check, finish } from './checks.mjs';

const url = globalThis.Deno?.env.get('REDIS_URL') ?? globalThis.process?.env?.REDIS_URL;
const prefix = `smoke${Date.now()}${Math.random().toString(36).slice(2, 6)}:`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const one = createRedisStore({ url, prefix, timeout: 5_000, onError: () => {} });
const two = createRedisStore({ url, prefix, timeout: 5_000, onError: () => {} });
try {
  await check('slots: a cap of 1 across two stores, given back', async () => {
    const caps = { concurrency: 1, rate: undefined };
    const first = await one.acquireSlot('https://smoke.example', caps);
    assert('lease' in first, `no slot: ${JSON.stringify(first)}`);
    const second = await two.acquireSlot('https://smoke.example', caps);
    assert('retryIn' in second, 'the other store got a second slot');
    await one.releaseSlot('https://smoke.example', first.lease);
    const third = await two.acquireSlot('https://smoke.example', caps);
    assert('lease' in third, 'the slot was not given back');
    await two.releaseSlot('https://smoke.example', third.lease);
  });

  await check('cache store: a record with a binary body, read by the other store', async () => {
    const body = new Uint8Array([0, 255, 128, 10, 13, 0xc3]);
    const record = {
      responses: [
        {
          url: 'https://smoke.example/x',
          status: 200,
          statusText: 'OK',
          headers: [['content-type', 'application/octet-stream']],
          vary: {},
          policy: { t: 1 },
          body,
        },
      ],
    };
    await one.cache.set('https://smoke.example/x', record, { ttl: 60_000 });
    const got = await two.cache.get('https://smoke.example/x');
    assert(got?.responses?.length === 1, 'no record');
    assert(
      [...got.responses[0].body].join() === [...body].join(),
      `body ${[...got.responses[0].body]}`,
    );
    await two.cache.delete('https://smoke.example/x');
    assert((await one.cache.get('https://smoke.example/x')) === undefined, 'not deleted');
  });

  await check('cool-downs: one store sets, the other hears it (pub/sub) into memory', async () => {
    assert((await two.cooldown.get('https://smoke.example')) === undefined, 'a cool-down at start');
    await one.cooldown.set('https://smoke.example', 5_000, 429);
    let seen;
    for (let i = 0; i < 500 && !seen; i++) {
      seen = two.cooldown.get('https://smoke.example');
      if (seen && typeof seen.then === 'function') seen = await seen;
      if (!seen) await sleep(10);
    }
    assert(seen?.status === 429, `heard ${JSON.stringify(seen)}`);
    assert(seen.until - Date.now() > 3_000, `${seen.until - Date.now()} ms left`);
  });

  await check('retry budget: counts of one store allow the other retries', async () => {
    const options = { ratio: 0.5, windowMs: 10_000, minPerSecond: 0 };
    const a = one.retryBudget(options);
    const b = two.retryBudget(options);
    for (let i = 0; i < 10; i++) a.deposit();
    await a.flush();
    let taken = 0;
    for (let round = 0; round < 6; round++) {
      await a.flush();
      await b.flush();
      while (b.tryWithdraw()) taken++;
    }
    assert(taken > 0 && taken <= 5, `took ${taken} of 5`);
  });
} finally {
  await one.close();
  await two.close();
}
finish();
