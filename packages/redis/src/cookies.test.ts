// The fleet's cookie jar, with a real redis-server, real processes (test/shared-child.ts:
// createSession({ store })) and a real HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CookieJar } from '@fetchstack/cookies';
import { createSession } from '@fetchstack/session';
import { createClient } from '@redis/client';
import { type RedisServer, redisMissing, startRedis } from '../test/redis-server.js';
import {
  type AuthOrigin,
  type FleetChild,
  startAuthOrigin,
  startChildren,
} from '../test/shared-fleet.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
// The most a store waits for Redis before going on alone: generous, so that a loaded machine
// does not send a test of sharing into local state.
const timeout = 5_000;
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
/** Whether the child's own jar has `name` once it does (or, with `gone`, once it does not): at most 10 s. */
const has = async (child: FleetChild, name: string, gone = false) =>
  (await child.send({ op: 'waitCookie', name, gone })).found;

describe('Redis store: one cookie jar for the fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: AuthOrigin;
  let client: ReturnType<typeof createClient>;
  const running: FleetChild[] = [];
  before(async () => {
    redis = await startRedis();
    origin = await startAuthOrigin();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  after(async () => {
    for (const child of running) child.kill();
    await client?.close();
    await origin?.close();
    await redis?.stop();
  });

  const env = (prefix: string) => (i: number) => ({
    REDIS_URL: redis.url,
    PREFIX: prefix,
    ORIGIN: origin.url,
    NAME: `p${i}`,
    TIMEOUT: '2000',
  });
  /** Waits (at most 10 s) until `check` holds. */
  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 1_000; i++) {
      if (await check()) return;
      await tick();
    }
    assert.fail(`still not so after 10 s: ${what}`);
  }

  test('a cookie set in process A is sent by B; Max-Age=1 expires in Redis by itself; a deletion reaches B; a new process starts with the jar', async () => {
    const prefix = 'jar1:';
    const [a, b] = await startChildren(2, env(prefix));
    running.push(a!, b!);
    const key = (name: string) => `${prefix}cookies:127.0.0.1;/;${name}`;

    assert.deepEqual(await a!.fetch('/echo'), [{ status: 200, body: '' }]);
    assert.deepEqual(await b!.fetch('/echo'), [{ status: 200, body: '' }]);
    assert.deepEqual(await a!.fetch('/set?name=sid&value=abc'), [{ status: 200, body: 'set' }]);
    // One notification later, B's own copy has it (B asks its jar, not the server).
    assert.equal(await has(b!, 'sid'), true);
    assert.deepEqual(await b!.fetch('/echo'), [{ status: 200, body: 'sid=abc' }]);
    const stored = JSON.parse((await client.get(key('sid'))) ?? '{}') as Record<string, unknown>;
    assert.equal(stored.value, 'abc');
    assert.equal(await client.pTTL(key('sid')), -1, 'a session cookie has no TTL');

    // Max-Age=1: the key has a TTL of at most 1 s, and Redis drops it by itself.
    assert.deepEqual(await a!.fetch('/set?name=brief&value=1&maxAge=1'), [
      { status: 200, body: 'set' },
    ]);
    await until(
      async () => (await client.exists(key('brief'))) === 1,
      'the Max-Age=1 key is written',
    );
    const ttl = await client.pTTL(key('brief'));
    assert.ok(ttl > 0 && ttl <= 1_000, `PTTL ${ttl}`);
    await until(async () => (await client.exists(key('brief'))) === 0, 'the key expires');
    assert.deepEqual(await b!.fetch('/echo'), [{ status: 200, body: 'sid=abc' }]);

    // A new process reads the jar at its first use.
    const [c] = await startChildren(1, env(prefix));
    running.push(c!);
    assert.deepEqual(await c!.fetch('/echo'), [{ status: 200, body: 'sid=abc' }]);

    // Max-Age=0 deletes it: in Redis, in B, in C.
    assert.deepEqual(await a!.fetch('/set?name=sid&value=&maxAge=0'), [
      { status: 200, body: 'set' },
    ]);
    await until(async () => (await client.exists(key('sid'))) === 0, 'the key is deleted');
    assert.equal(await has(b!, 'sid', true), false);
    assert.deepEqual(await b!.fetch('/echo'), [{ status: 200, body: '' }]);
    assert.equal(await has(c!, 'sid', true), false);
    for (const child of [a!, b!, c!]) await child.close();
  });

  test('each redirect hop sees the cookie the hop before set; session.close() resolves once it is in Redis', async () => {
    const prefix = 'jar2:';
    const store = createRedisStore({ url: redis.url, prefix, timeout: 5_000 });
    const session = createSession({ store: { cookies: store.cookies }, proxy: false });
    try {
      assert.equal(await (await session(`${origin.url}/echo`)).text(), '');
      // Redis holds back writes for a while: the cookie's write waits in Redis.
      await client.sendCommand(['CLIENT', 'PAUSE', '300', 'WRITE']);
      const response = await session(`${origin.url}/set-redirect?name=hop&value=1`);
      assert.equal(await response.text(), 'hop=1');
      assert.equal(response.redirected, true);
      await session.close();
      // Reads are not held back: the write is there because close() waited for it.
      const stored = JSON.parse((await client.get(`${prefix}cookies:127.0.0.1;/;hop`)) ?? '{}');
      assert.equal((stored as { value?: string }).value, '1');
    } finally {
      await session.close();
      await store.close();
    }
  });

  test('no Redis round trip per request: 10 calls with cookies and a fleet bearer token send no command', async () => {
    const store = createRedisStore({ url: redis.url, prefix: 'hot:', timeout });
    origin.reset();
    // Only the jar and the token of the store (its other parts, the retry budget say, talk
    // to Redis on their own schedule).
    const parts = { cookies: store.cookies, tokens: (name?: string) => store.tokens(name) };
    const session = createSession({
      store: parts,
      proxy: false,
      auth: {
        bearer: 'A0',
        refresh: async () => {
          const response = await fetch(`${origin.url}/refresh`, { method: 'POST', body: 'R0' });
          return ((await response.json()) as { access: string }).access;
        },
      },
    });
    const processed = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1]);
    try {
      // Warm: the jar and the token are read, a refresh is published, a cookie is written.
      assert.equal((await session(`${origin.url}/api`)).status, 200);
      assert.equal(await (await session(`${origin.url}/set?name=hot&value=1`)).text(), 'set');
      await store.cookies.flush();
      const before = await processed();
      for (let i = 0; i < 10; i++) {
        const response = await session(`${origin.url}/echo`);
        assert.equal(await response.text(), 'hot=1');
      }
      assert.equal((await session(`${origin.url}/api`)).status, 200);
      // The second INFO counts the first one.
      assert.equal((await processed()) - before, 1, 'commands sent during the calls');
    } finally {
      await session.close();
      await store.close();
    }
  });

  test('a tough-cookie jar over store.cookies, outside a session; a jar given to the session stays its own', async () => {
    const prefix = 'jar3:';
    const one = createRedisStore({ url: redis.url, prefix, timeout });
    const two = createRedisStore({ url: redis.url, prefix, timeout });
    try {
      const jar = new CookieJar(one.cookies);
      await jar.set('shared', 'yes', { domain: 'example.com' });
      const other = new CookieJar(two.cookies);
      await until(
        async () => (await other.get('shared', 'http://example.com/'))?.value === 'yes',
        'the other store has the cookie',
      );
      const own = new CookieJar();
      const session = createSession({ store: two, cookies: own, proxy: false });
      assert.equal(await session.cookies.get('shared', 'http://example.com/'), undefined);
      await session.close();
      await jar.clear();
      await until(
        async () => (await other.get('shared', 'http://example.com/')) === undefined,
        'the clear reaches the other store',
      );
      assert.deepEqual(await client.keys(`${prefix}cookies:*`), []);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('Redis store: the jar when Redis restarts', { skip }, () => {
  test('Redis killed: the jar goes on locally, one report; once Redis is back, changes reach the other store again', async () => {
    const redis = await startRedis();
    const errors: unknown[] = [];
    const options = { url: redis.url, prefix: 'restart:', timeout: 2_000 };
    const one = createRedisStore({ ...options, onError: (error) => errors.push(error) });
    const two = createRedisStore({ ...options, onError: () => {} });
    const a = new CookieJar(one.cookies);
    const b = new CookieJar(two.cookies);
    const valueIn = async (jar: CookieJar, name: string) =>
      (await jar.get(name, 'http://example.com/'))?.value;
    /** Waits (at most 10 s) until `check` holds. */
    const until = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 1_000; i++) {
        if (await check()) return;
        await tick();
      }
      assert.fail(`still not so after 10 s: ${what}`);
    };
    let again: RedisServer | undefined;
    try {
      assert.equal(await valueIn(b, 'first'), undefined);
      await a.set('first', '1', { domain: 'example.com' });
      await until(async () => (await valueIn(b, 'first')) === '1', 'B has the first cookie');
      await redis.kill();
      await a.set('during', 'x', { domain: 'example.com' });
      assert.equal(await valueIn(a, 'during'), 'x', 'A keeps it');
      await one.cookies.flush();
      assert.equal(errors.length, 1, 'one report for the outage');
      again = await startRedis(redis.port);
      // Each try writes anew (a write made before A reconnects is not sent again).
      let n = 0;
      await until(async () => {
        n++;
        if (n % 10 === 1) await a.set('after', String(n), { domain: 'example.com' });
        return (await valueIn(b, 'after')) !== undefined;
      }, 'B hears of A again');
      assert.equal(errors.length, 1);
    } finally {
      await one.close();
      await two.close();
      await again?.stop();
      await redis.stop();
    }
  });
});
