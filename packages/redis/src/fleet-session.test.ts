// createSession({ store, limit }) across processes, and a session with every part of the store
// while Redis dies: real redis-server on a free port, a real HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSession, logger } from '@fetchstack/session';
import { type Origin, startOrigin } from '../test/origin.js';
import { type RedisServer, redisMissing, startRedis } from '../test/redis-server.js';
import { fleetServers } from '../test/servers.js';
import { sessionChild } from '../test/session-children.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
if (redisMissing) console.log(`# skipped: ${redisMissing}`);

describe('createSession({ store }) in a fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: Origin;
  fleetServers((started) => ({ redis, origin } = started));

  test('createSession({ store, limit: { concurrency: 2 } }) in 3 processes: never more than 2 at the server', async () => {
    origin.reset();
    const env = {
      REDIS_URL: redis.url,
      PREFIX: `fl${Date.now()}:`,
      LIMIT: JSON.stringify({ concurrency: 2 }),
    };
    const runs = [1, 2, 3].map(() => sessionChild(env));
    try {
      const answers = await Promise.all(runs.map((run) => run.call(`${origin.url}/hold?ms=60`, 8)));
      for (const answer of answers) assert.deepEqual(answer.statuses, Array(8).fill(200));
      assert.equal(origin.total('/hold'), 24);
      assert.ok(origin.max <= 2, `the server held ${origin.max} calls at once`);
      assert.equal(origin.max, 2, 'the cap was reached (the test can see a breach)');
    } finally {
      for (const run of runs) await run.exit();
    }
  });
});

describe('createSession({ store }) when Redis dies', { skip }, () => {
  let origin: Origin;
  before(async () => {
    origin = await startOrigin();
  });
  after(async () => {
    await origin?.close();
  });

  test('Redis killed mid-run: every call succeeds and reaches the server once; one report', async () => {
    const redis = await startRedis();
    const errors: unknown[] = [];
    const cacheErrors: unknown[] = [];
    const store = createRedisStore({
      url: redis.url,
      prefix: 'dies:',
      timeout: 300,
      onError: (e) => errors.push(e),
    });
    // Every part of the store in use: limit slots, the cache, cool-downs, the retry budget.
    const session = createSession({
      store,
      limit: { concurrency: 2 },
      cache: { shared: true, onStoreError: (e) => cacheErrors.push(e) },
      proxy: false,
    });
    try {
      origin.reset();
      let n = 0;
      const batch = () =>
        Promise.all(
          Array.from({ length: 6 }, async () => {
            const res = await session(`${origin.url}/hold?ms=20&n=${n++}`);
            return `${res.status} ${await res.text()}`;
          }),
        );
      assert.deepEqual(await batch(), Array(6).fill('200 ok'));
      assert.equal(errors.length, 0);
      await redis.kill();
      for (let i = 0; i < 3; i++) assert.deepEqual(await batch(), Array(6).fill('200 ok'));
      assert.equal(origin.total('/hold'), 24, 'each call reached the server once');
      assert.ok(origin.max <= 2, `the local cap still holds: ${origin.max}`);
      assert.equal(errors.length, 1, 'one report for the outage');
      assert.ok(cacheErrors.length > 0, 'the cache went on without its store');
    } finally {
      await session.close();
      await store.close();
      await redis.stop();
    }
  });

  test("Redis killed: the session's logger() says so once, and the console warning is left out", async () => {
    const redis = await startRedis();
    const store = createRedisStore({ url: redis.url, prefix: 'told:', timeout: 300 });
    const lines: string[] = [];
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    // No cache: the outage reaches the logger through the store itself, not a cache's error.
    const session = createSession({
      store,
      limit: { concurrency: 2 },
      proxy: false,
      hooks: logger({ info: () => {}, warn: (line) => void lines.push(String(line)) }),
    });
    try {
      const call = async (n: number) => {
        const res = await session(`${origin.url}/hold?ms=5&n=${n}`);
        return `${res.status} ${await res.text()}`;
      };
      assert.equal(await call(0), '200 ok');
      await redis.kill();
      for (let i = 1; i <= 4; i++) assert.equal(await call(i), '200 ok');
      assert.equal(lines.length, 1, `one line for the outage: ${JSON.stringify(lines)}`);
      // Redis named once: "Redis cannot be reached (did not answer ...)".
      assert.match(lines[0] ?? '', /Redis cannot be reached \((?!Redis )/);
      assert.deepEqual(warnings, [], 'the logger said it: nothing on the console');
    } finally {
      console.warn = warn;
      await session.close();
      await store.close();
      await redis.stop();
    }
  });
});
