// The fleet's bearer refresh, with a real redis-server, real processes (test/shared-child.ts:
// createSession({ store, auth: { bearer, refresh } })) and a real token endpoint on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { bearerAuth } from '@fetchstack/auth';
import { createSession } from '@fetchstack/session';
import { createClient } from '@redis/client';
import { type RedisServer, redisMissing, startRedis } from '../test/redis-server.js';
import {
  type AuthOrigin,
  type CallResult,
  type FleetChild,
  startAuthOrigin,
  startChildren,
} from '../test/shared-fleet.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
let prefixes = 0;

describe('the shared token and jar: options', () => {
  test('bearerAuth refuses a shared value that is not a shared token; the session a store part that is not one', () => {
    assert.throws(
      () => bearerAuth('t', { shared: {} as never }),
      (e: unknown) =>
        e instanceof TypeError && /options\.shared must be a shared token/.test(e.message),
    );
    assert.throws(
      () => createSession({ store: { cookies: {} } as never }),
      (e: unknown) =>
        e instanceof TypeError && /"store": "cookies" must be a cookie store/.test(e.message),
    );
    assert.throws(
      () => createSession({ store: { tokens: 'bearer' } as never }),
      (e: unknown) =>
        e instanceof TypeError && /"store": "tokens" must be a function/.test(e.message),
    );
  });
});

describe('Redis store: one bearer refresh for the fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: AuthOrigin;
  const running: FleetChild[] = [];
  before(async () => {
    redis = await startRedis();
    origin = await startAuthOrigin();
  });
  beforeEach(() => origin.reset());
  after(async () => {
    for (const child of running) child.kill();
    await origin?.close();
    await redis?.stop();
  });

  /** `count` processes of one fleet (a prefix of their own), each starting with token A0. */
  async function fleet(count: number, lease = 30_000): Promise<FleetChild[]> {
    const prefix = `tokens${++prefixes}:`;
    const children = await startChildren(count, (i) => ({
      REDIS_URL: redis.url,
      PREFIX: prefix,
      ORIGIN: origin.url,
      NAME: `p${i}`,
      TOKEN: 'A0',
      LEASE: String(lease),
      // Generous: a loaded machine must not turn a slow answer into a refresh of its own.
      TIMEOUT: '2000',
    }));
    running.push(...children);
    return children;
  }
  const statuses = (results: CallResult[]) => results.map((r) => r.status ?? r.error?.message);

  test('20 concurrent 401s across 4 processes: one refresh, every call 200 after one replay', async () => {
    const children = await fleet(4);
    // Every stale request is answered 401 only once all 20 have arrived: they overlap.
    origin.barrier = 20;
    const all = await Promise.all(children.map((c) => c.fetch('/api', 5)));
    for (const results of all) assert.deepEqual(statuses(results), Array(5).fill(200));
    assert.deepEqual(origin.refreshes, [{ child: origin.refreshes[0]?.child, outcome: 'ok' }]);
    // Each call: its 401, then one replay with the fleet's token.
    assert.equal(origin.calls.size, 20);
    for (const [call, seen] of origin.calls) assert.deepEqual(seen, [401, 200], call);

    for (const child of children) await child.close();
  });

  test('a new process starts with the token the fleet published', async () => {
    const prefix = `tokens${++prefixes}:`;
    const env = (name: string) => ({
      REDIS_URL: redis.url,
      PREFIX: prefix,
      ORIGIN: origin.url,
      NAME: name,
      TOKEN: 'A0',
      TIMEOUT: '2000',
    });
    const [first] = await startChildren(1, () => env('first'));
    running.push(first!);
    assert.deepEqual(statuses(await first!.fetch('/api')), [200]);
    assert.equal(origin.refreshes.length, 1);
    const [second] = await startChildren(1, () => env('second'));
    running.push(second!);
    assert.deepEqual(statuses(await second!.fetch('/api')), [200]);
    // Its first request already carried the fleet's token: no 401, no refresh.
    assert.deepEqual(origin.calls.get('second-1-0'), [200]);
    assert.equal(origin.refreshes.length, 1);
    await first!.close();
    await second!.close();
  });

  test('rotating refresh token: a 401 for a token older than the fleet’s is replayed with it, never refreshed again', async () => {
    const [a, b] = await fleet(2);
    // b's request (with A0) reaches the server first, and is answered 401 only after a's
    // refresh has succeeded: b then holds a 401 for a token the fleet has already replaced.
    const held = b!.fetch('/api?late=1');
    for (let i = 0; i < 500 && (origin.hits.get('/api') ?? 0) < 1; i++) await tick();
    assert.deepEqual(statuses(await a!.fetch('/api')), [200]);
    assert.deepEqual(statuses(await held), [200]);
    // One refresh; a second one with R0 (already used) would have been answered 'reused'.
    assert.deepEqual(
      origin.refreshes.map((r) => r.outcome),
      ['ok'],
    );
    await a!.close();
    await b!.close();
  });

  test('the refresher dies holding the lease: another process refreshes once the lease ends', async () => {
    const children = await fleet(3, 1_500);
    origin.mode = 'hang-first';
    origin.barrier = 6;
    // Settled as they come (the killed process's call rejects while others are awaited).
    const calls = children.map((c) => c.fetch('/api', 2).catch((error: Error) => error));
    const refresher = await origin.hung;
    const index = children.findIndex((_, i) => `p${i}` === refresher);
    assert.ok(index >= 0, `the refresher is one of the children (${refresher})`);
    children[index]!.kill();
    for (const [i, call] of calls.entries()) {
      const outcome = await call;
      if (i === index) assert.match(String(outcome), /exited/);
      else assert.deepEqual(statuses(outcome as CallResult[]), [200, 200]);
    }
    assert.deepEqual(
      origin.refreshes.map((r) => r.outcome),
      ['hung', 'ok'],
    );
    for (const [i, child] of children.entries()) if (i !== index) await child.close();
  });

  test('a failed refresh rejects the waiting calls of the other processes with its error', async () => {
    const children = await fleet(3);
    origin.mode = 'fail';
    let open!: () => void;
    origin.gate = new Promise((resolve) => {
      open = resolve;
    });
    origin.barrier = 6;
    // Redis's MONITOR shows the processes that wait: they ask whether the refresh has ended
    // (a script on the token's keys with two arguments: the stale token and a count).
    const monitor = createClient({ url: redis.url });
    await monitor.connect();
    const waiting = new Set<string>();
    await monitor.monitor((line: string) => {
      const asking = /\[\d+ ([^\]]+)\] "EVAL(?:SHA)?" .*auth:\{bearer\}:lease" "A0" "\d+"$/.exec(
        line,
      );
      if (asking) waiting.add(asking[1] as string);
    });
    try {
      const calls = children.map((c) => c.fetch('/api', 2));
      // One process refreshes (its request is held by the token endpoint); the two others
      // wait for it. Then the endpoint refuses.
      for (let i = 0; i < 1_000 && (waiting.size < 2 || !origin.hits.get('/refresh')); i++) {
        await tick();
      }
      assert.equal(waiting.size, 2, 'two processes wait for the refresh');
      open();
      for (const call of calls) {
        for (const result of await call) {
          assert.equal(result.error?.message, 'refresh refused: 400 invalid_grant');
        }
      }
    } finally {
      await monitor.close().catch(() => monitor.destroy());
    }
    assert.deepEqual(
      origin.refreshes.map((r) => r.outcome),
      ['failed'],
    );
    for (const child of children) await child.close();
  });
});

describe('Redis store: when Redis fails mid-run', { skip }, () => {
  test('Redis killed: every call succeeds, none is sent twice, a refresh runs here alone, one report', async () => {
    const redis = await startRedis();
    const origin = await startAuthOrigin();
    const errors: unknown[] = [];
    const store = createRedisStore({
      url: redis.url,
      prefix: 'outage:',
      // Generous: before the kill, a slow answer must not count as an outage.
      timeout: 2_000,
      onError: (error) => errors.push(error),
    });
    let refreshToken = 'R0';
    const session = createSession({
      store,
      proxy: false,
      retry: false,
      auth: {
        bearer: 'A0',
        async refresh() {
          const response = await fetch(`${origin.url}/refresh`, {
            method: 'POST',
            body: refreshToken,
          });
          const pair = (await response.json()) as { access: string; refresh: string };
          refreshToken = pair.refresh;
          return pair.access;
        },
      },
    });
    let n = 0;
    const call = async (path: string) => {
      const response = await session(`${origin.url}${path}`, { headers: { 'x-call': `c${++n}` } });
      return `${response.status} ${await response.text()}`;
    };
    try {
      // With Redis: the first 401 is refreshed under the fleet's lease; a cookie is stored.
      assert.deepEqual(await Promise.all([call('/api'), call('/api')]), ['200 ok A1', '200 ok A1']);
      assert.equal(await call('/set?name=kept&value=1'), '200 set');
      await redis.kill();
      // Without Redis: the token expires; the refresh cannot take a lease and runs here.
      origin.access = 'expired';
      const after = await Promise.all([1, 2, 3, 4].map(() => call('/api')));
      assert.deepEqual(after, Array(4).fill('200 ok A2'));
      assert.equal(await call('/echo'), '200 kept=1', 'the jar goes on in this process');
      assert.equal(await call('/set?name=local&value=2'), '200 set');
      assert.equal(await call('/echo'), '200 kept=1; local=2');
      assert.deepEqual(
        origin.refreshes.map((r) => r.outcome),
        ['ok', 'ok'],
      );
      // No request was sent twice: each call got one 200 (after at most one 401).
      for (const [id, seen] of origin.calls) assert.equal(seen.at(-1), 200, id);
      for (const [id, seen] of origin.calls) assert.ok(seen.length <= 2, `${id}: ${seen}`);
      assert.equal(origin.calls.size, 6);
      assert.equal(errors.length, 1, 'one report for the outage');
    } finally {
      await session.close();
      await store.close();
      await origin.close();
      await redis.stop();
    }
  });
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
