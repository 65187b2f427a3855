// Retry-After cool-downs across a fleet: real redis-server on a free port, a real HTTP server
// on 127.0.0.1 that counts what it receives, sessions in this process and in others.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRetryError } from '@fetchstack/retry';
import { createSession } from '@fetchstack/session';
import { createClient } from '@redis/client';
import type { Origin } from '../test/origin.js';
import { type RedisServer, redisMissing } from '../test/redis-server.js';
import { fleetServers } from '../test/servers.js';
import { sessionChild } from '../test/session-children.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
// Generous: on a loaded machine a slow answer must not send a test into local state.
const timeout = 5_000;
if (redisMissing) console.log(`# skipped: ${redisMissing}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Retry-After cool-downs across a fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: Origin;
  fleetServers((started) => ({ redis, origin } = started));

  test('the key per origin: PX = the wait, the later deadline is kept, other stores hear of it', async () => {
    const prefix = `cd${Date.now()}:`;
    const client = createClient({ url: redis.url });
    await client.connect();
    const one = createRedisStore({ url: redis.url, prefix, timeout });
    const two = createRedisStore({ url: redis.url, prefix, timeout });
    try {
      // The second store listens before anything cools down (its first read starts it).
      assert.equal(await two.cooldown.get('https://api.example'), undefined);
      await one.cooldown.set('https://api.example', 5_000, 429);
      const key = `${prefix}cooldown:https://api.example`;
      const ttl = await client.pTTL(key);
      assert.ok(ttl > 4_000 && ttl <= 5_000, `PTTL ${ttl}`);
      assert.equal(await client.get(key), '429');
      // A shorter wait does not shorten it.
      await one.cooldown.set('https://api.example', 1_000, 503);
      assert.ok((await client.pTTL(key)) > 4_000);
      // The other store learns it by pub/sub, into its local copy (no round trip to read it).
      let seen: unknown;
      for (let i = 0; i < 500 && !seen; i++) {
        seen = two.cooldown.get('https://api.example');
        if (!seen) await sleep(10);
      }
      assert.ok(seen && !(seen instanceof Promise), 'a local answer');
      const entry = seen as { until: number; status: number };
      assert.equal(entry.status, 429);
      assert.ok(entry.until - Date.now() > 3_500, `${entry.until - Date.now()} ms left`);
      // A store made later reads the keys when it starts.
      const three = createRedisStore({ url: redis.url, prefix, timeout });
      try {
        const late = (await three.cooldown.get('https://api.example')) as { until: number };
        assert.ok(late && late.until - Date.now() > 3_500);
      } finally {
        await three.close();
      }
    } finally {
      await one.close();
      await two.close();
      await client.close();
    }
  });

  test('a Retry-After received by one process is waited out by another, which sends nothing meanwhile', async () => {
    origin.reset();
    const prefix = `cp${Date.now()}:`;
    const env = { REDIS_URL: redis.url, PREFIX: prefix, RETRY: '{"limit":0}' };
    const a = sessionChild(env);
    const b = sessionChild(env);
    try {
      // B is up and listening (it has made a call through its session) before A's 429.
      assert.deepEqual(await b.call(`${origin.url}/hold?ms=0`), { statuses: [200], errors: [''] });
      origin.busy = 1;
      const first = await a.call(`${origin.url}/busy?after=2`);
      assert.deepEqual(first.statuses, [429]);
      const at429 = origin.arrivals.get('/busy')?.[0] as number;
      // B hears of it through Redis (pub/sub, a few ms after A's write).
      assert.ok((await b.heard(origin.url)) > 1_000);
      const second = await b.call(`${origin.url}/busy?after=2`, 3);
      assert.deepEqual(second.statuses, [200, 200, 200]);
      const arrivals = origin.arrivals.get('/busy') ?? [];
      assert.equal(arrivals.length, 4, 'one 429, then the three calls of B once');
      for (const at of arrivals.slice(1)) {
        assert.ok(at - at429 >= 1_900, `B sent a request ${at - at429} ms after the 429`);
      }
      // A process started during the cool-down waits it out too (it reads the key at start).
      origin.busy = 1;
      assert.deepEqual((await a.call(`${origin.url}/busy?after=15`)).statuses, [429]);
      const second429 = origin.arrivals.get('/busy')?.[4] as number;
      const c = sessionChild(env);
      try {
        // Started after the news was published: it learns it by reading the keys as it connects
        // (its first request waits for that read at most the store's timeout, so wait here
        // until it has it: a loaded machine may take longer to start a process).
        assert.ok((await c.heard(origin.url)) > 0, 'C read the cool-down when it started');
        assert.deepEqual((await c.call(`${origin.url}/busy?after=15`)).statuses, [200]);
        const late = origin.arrivals.get('/busy')?.[5] as number;
        assert.ok(late - second429 >= 14_900, `C sent its request ${late - second429} ms after`);
      } finally {
        await c.exit();
      }
    } finally {
      await a.exit();
      await b.exit();
    }
  });

  test('a Retry-After beyond retryAfter.max: the retry layer’s answer at once, the origin untouched', async () => {
    origin.reset();
    const prefix = `cm${Date.now()}:`;
    const stores = [1, 2].map(() => createRedisStore({ url: redis.url, prefix, timeout }));
    const [one, two] = stores.map((store) =>
      createSession({ store, proxy: false, retry: { retryAfter: { max: 5_000 } } }),
    ) as [ReturnType<typeof createSession>, ReturnType<typeof createSession>];
    try {
      await two(`${origin.url}/hold?ms=0`);
      origin.busy = 1;
      // Today's outcome for a Retry-After over the max: the 429 itself, at once.
      const first = await one(`${origin.url}/busy?after=120`);
      assert.equal(first.status, 429);
      assert.equal(origin.total('/busy'), 1);
      for (let i = 0; i < 500 && !two.closed; i++) {
        const cd = stores[1]?.cooldown.get(origin.url);
        if (cd && !(cd instanceof Promise)) break;
        await sleep(10);
      }
      const t0 = Date.now();
      const local = await two(`${origin.url}/busy?after=120`);
      assert.equal(local.status, 429);
      const left = Number(local.headers.get('retry-after'));
      assert.ok(left > 100 && left <= 120, `Retry-After ${left}`);
      assert.ok(Date.now() - t0 < 5_000, 'answered without waiting');
      // throwOnExhausted: the RetryError the retry layer throws for it.
      await assert.rejects(
        two(`${origin.url}/busy?after=120`, {
          fetchstack: { retry: { throwOnExhausted: true, retryAfter: { max: 5_000 } } },
        }),
        (e: unknown) => isRetryError(e) && e.reason === 'retry-after' && e.response?.status === 429,
      );
      assert.equal(origin.total('/busy'), 1, 'the origin was not called again');
      // retry: false for one call: the call goes to the origin (the app sees every response).
      assert.equal((await two(`${origin.url}/busy`, { fetchstack: { retry: false } })).status, 200);
      assert.equal(origin.total('/busy'), 2);
    } finally {
      await one.close();
      await two.close();
      for (const store of stores) await store.close();
    }
  });

  test('a call waiting a cool-down ends at once on its signal, and at the total timeout', async () => {
    origin.reset();
    const prefix = `cs${Date.now()}:`;
    const store = createRedisStore({ url: redis.url, prefix, timeout });
    const session = createSession({ store, proxy: false, timeout: 400 });
    try {
      await store.cooldown.set(origin.url, 10_000, 503);
      const controller = new AbortController();
      const call = session(`${origin.url}/hold?ms=0`, { signal: controller.signal });
      await sleep(50);
      controller.abort(new Error('stop'));
      await assert.rejects(call, /stop/);
      const t0 = Date.now();
      await assert.rejects(session(`${origin.url}/hold?ms=0`), { name: 'TimeoutError' });
      assert.ok(Date.now() - t0 < 5_000);
      assert.equal(origin.total('/hold'), 0, 'neither call was sent');
    } finally {
      await session.close();
      await store.close();
    }
  });
});
