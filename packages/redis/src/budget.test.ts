// The fleet's retry budget: real redis-server on a free port, a real HTTP server on 127.0.0.1
// that is always down (503), sessions in several processes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Origin } from '../test/origin.js';
import { type RedisServer, redisMissing } from '../test/redis-server.js';
import { fleetServers } from '../test/servers.js';
import { sessionChild } from '../test/session-children.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
// Generous: on a loaded machine a slow answer must not send a test into local state.
const timeout = 5_000;
if (redisMissing) console.log(`# skipped: ${redisMissing}`);

describe('the retry budget of a fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: Origin;
  fleetServers((started) => ({ redis, origin } = started));

  test('counts flushed by one store are the other’s: the ratio holds over both', async () => {
    const prefix = `b${Date.now()}:`;
    const options = { ratio: 0.5, windowMs: 10_000, minPerSecond: 0 };
    const one = createRedisStore({ url: redis.url, prefix, timeout });
    const two = createRedisStore({ url: redis.url, prefix, timeout });
    try {
      const a = one.retryBudget(options);
      const b = two.retryBudget(options);
      assert.equal(one.retryBudget({ ...options }), a, 'the same options, the same budget');
      for (let i = 0; i < 10; i++) a.deposit();
      // 10 first tries in the fleet allow 5 retries (ratio 0.5, no reserve), whoever takes them:
      // first b alone (it made no first try: what it takes comes from a's), then a too.
      const taken = [0, 0];
      for (let round = 0; round < 12; round++) {
        await a.flush();
        await b.flush();
        while (b.tryWithdraw()) taken[1]!++;
        if (round >= 6) while (a.tryWithdraw()) taken[0]!++;
      }
      assert.equal(taken[0]! + taken[1]!, 5, `a took ${taken[0]}, b took ${taken[1]}`);
      assert.ok(taken[1]! > 0, 'b, which made no first try, got a share of the fleet’s');
    } finally {
      await one.close();
      await two.close();
    }
  });

  test('3 processes against an always-503 server: total retries <= ratio x total first tries + the reserve', async () => {
    origin.reset();
    const prefix = `bp${Date.now()}:`;
    const ratio = 0.2;
    const minPerSecond = 0.5;
    const windowMs = 10_000;
    const calls = 20;
    const retry = JSON.stringify({
      limit: 3,
      backoff: { initial: 300, factor: 1, jitter: false },
      budget: { ratio, windowMs, minPerSecond },
    });
    const runs = [1, 2, 3].map(() =>
      sessionChild({ REDIS_URL: redis.url, PREFIX: prefix, RETRY: retry }),
    );
    try {
      // Each process up and connected before the calls start.
      for (const run of runs) await run.call(`${origin.url}/hold?ms=0`);
      const answers = await Promise.all(runs.map((run) => run.call(`${origin.url}/down`, calls)));
      for (const answer of answers) assert.deepEqual(answer.statuses, Array(calls).fill(503));
      const firstTries = 3 * calls;
      const retries = origin.total('/down') - firstTries;
      const fleetBound = ratio * firstTries + (minPerSecond * windowMs) / 1000; // 12 + 5
      const alone = 3 * (ratio * calls + (minPerSecond * windowMs) / 1000); // 27: three local budgets
      console.log(
        `# ${retries} retries of ${3 * calls} failed first tries (fleet bound ${fleetBound}, three local budgets ${alone})`,
      );
      assert.ok(retries <= fleetBound, `${retries} retries, more than ${fleetBound}`);
      assert.ok(retries > 0, 'some retries were allowed');
      assert.ok(fleetBound < alone);
    } finally {
      for (const run of runs) await run.exit();
    }
  });
});
