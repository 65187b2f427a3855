import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cache } from '@fetchstack/cache';
import { wrap } from '@fetchstack/core';
import { limit } from '@fetchstack/limit';
import { createSession } from '@fetchstack/session';
import { createClient } from '@redis/client';
import { freePort, type RedisServer, redisMissing, startRedis } from '../test/redis-server.js';
import { createRedisStore } from './index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('../test/fleet-child.ts', import.meta.url));
const skip = redisMissing ?? false;
// The most a store waits for Redis before going on alone: generous, so that a loaded machine
// does not send a test of sharing into local state.
const timeout = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real HTTP server on 127.0.0.1 that holds each request `ms` and counts how many it holds at once. */
interface Counting {
  url: string;
  max: number;
  total: number;
  arrivals: number[];
  server: Server;
  reset(): void;
}
async function countingServer(): Promise<Counting> {
  let now = 0;
  const state: Counting = {
    url: '',
    max: 0,
    total: 0,
    arrivals: [],
    server: createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/cached') {
        state.total++;
        res.writeHead(200, {
          'cache-control': 'max-age=60',
          'content-type': 'application/octet-stream',
        });
        res.end(Buffer.from([0, 255, 128, 10, 13, 0xc3]));
        return;
      }
      now++;
      state.total++;
      state.arrivals.push(Date.now());
      state.max = Math.max(state.max, now);
      await sleep(Number(url.searchParams.get('ms') ?? 100));
      now--;
      res.end('ok');
    }),
    reset() {
      state.max = 0;
      state.total = 0;
      state.arrivals = [];
    },
  };
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as { port: number }).port}`;
  return state;
}

const children = new Set<ChildProcess>();
/** Runs tests/fleet-child.ts in a process of its own; resolves to its JSON line (the first one). */
function fleetChild(env: Record<string, string>): {
  line: Promise<Record<string, unknown>>;
  child: ChildProcess;
} {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx/esm', '--import', join(root, 'scripts/unit/register.mjs'), child],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const line = new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Record<string, unknown>);
    });
    proc.once('exit', (code) => reject(new Error(`the child exited (${code}) without a result`)));
  });
  return { line, child: proc };
}

describe('createRedisStore: options', () => {
  test('bad options throw a TypeError naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /give "url".*or "client"/],
      [{}, /give "url".*or "client"/],
      [{ url: 'redis://a', client: { sendCommand() {} } }, /one of them/],
      [{ url: 'not a url' }, /"url" must be a redis:\/\/ or rediss:\/\/ URL/],
      [{ url: 'http://127.0.0.1:6379' }, /"url" must be a redis:\/\//],
      [{ client: {} }, /"client" must be a node-redis client/],
      [{ url: 'redis://127.0.0.1:1', prefix: 5 }, /"prefix" must be a string/],
      [{ url: 'redis://127.0.0.1:1', timeout: 0 }, /"timeout" must be a number of ms >= 1/],
      [
        { url: 'redis://127.0.0.1:1', prefx: 'a:' },
        /unknown option "prefx". Did you mean "prefix"/,
      ],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => createRedisStore(options as never),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
        JSON.stringify(options),
      );
    }
  });

  test('limit() refuses a store that is not one', () => {
    assert.throws(
      () => limit({ concurrency: 1, store: {} as never }),
      /"store" must be a limit store/,
    );
  });
});

describe('Redis store: a fleet', { skip }, () => {
  let redis: RedisServer;
  let origin: Counting;
  before(async () => {
    redis = await startRedis();
    origin = await countingServer();
  });
  after(async () => {
    for (const proc of children) proc.kill('SIGKILL');
    await redis?.stop();
    origin?.server.closeAllConnections();
    await new Promise((resolve) => origin?.server.close(resolve));
  });

  test('concurrency holds across 3 processes (8 calls at once each, cap 2)', async () => {
    origin.reset();
    const prefix = `t${Date.now()}:`;
    const runs = [1, 2, 3].map(() =>
      fleetChild({
        REDIS_URL: redis.url,
        PREFIX: prefix,
        TARGET: `${origin.url}/hold?ms=100`,
        CONCURRENCY: '2',
        CALLS: '8',
      }),
    );
    const lines = await Promise.all(runs.map((r) => r.line));
    for (const line of lines) assert.deepEqual(line, { ok: 8, failed: 0 });
    assert.equal(origin.total, 24);
    assert.ok(origin.max <= 2, `the server held ${origin.max} calls at once`);
  });

  test('rate holds across 2 processes (3 calls each, 3 per 1000 ms)', async () => {
    origin.reset();
    const prefix = `r${Date.now()}:`;
    const t0 = Date.now();
    const runs = [1, 2].map(() =>
      fleetChild({
        REDIS_URL: redis.url,
        PREFIX: prefix,
        TARGET: `${origin.url}/hold?ms=0`,
        REQUESTS: '3',
        PER: '1000',
        CALLS: '3',
      }),
    );
    for (const line of await Promise.all(runs.map((r) => r.line)))
      assert.deepEqual(line, { ok: 3, failed: 0 });
    assert.equal(origin.total, 6);
    const arrivals = [...origin.arrivals].sort((a, b) => a - b);
    // Started 1000 ms apart at least (Redis's clock); generous for the time each takes to arrive.
    assert.ok(
      (arrivals[3] as number) - (arrivals[0] as number) >= 600,
      `arrivals 0 and 3 are ${(arrivals[3] as number) - (arrivals[0] as number)} ms apart`,
    );
    assert.ok(Date.now() - t0 >= 900);
  });

  test('a process that dies frees its slot when its lease ends', async () => {
    origin.reset();
    const prefix = `d${Date.now()}:`;
    const target = `${origin.url}/hold?ms=0`;
    const holder = fleetChild({
      REDIS_URL: redis.url,
      PREFIX: prefix,
      TARGET: target,
      CONCURRENCY: '1',
      LEASE: '1500',
      MODE: 'hold',
    });
    assert.deepEqual(await holder.line, { held: true });
    const store = createRedisStore({ url: redis.url, prefix, timeout, onError: () => {} });
    try {
      // While the holder lives (and renews its lease), the slot stays taken.
      const first = await store.acquireSlot(origin.url, { concurrency: 1, rate: undefined });
      assert.ok('retryIn' in first, 'the slot is held by the other process');
      await sleep(2_000);
      const still = await store.acquireSlot(origin.url, { concurrency: 1, rate: undefined });
      assert.ok('retryIn' in still, 'a live holder keeps its slot past the lease by renewing it');
      holder.child.kill('SIGKILL');
      const f = wrap(fetch, limit({ concurrency: 1, store }));
      const t0 = Date.now();
      assert.equal(await (await f(target)).text(), 'ok');
      assert.ok(Date.now() - t0 < 10_000);
      assert.equal(origin.total, 1);
    } finally {
      await store.close();
    }
  });

  test('a session with limit: { concurrency, store } shares the cap with another session', async () => {
    origin.reset();
    const prefix = `s${Date.now()}:`;
    const stores = [1, 2].map(() => createRedisStore({ url: redis.url, prefix, timeout }));
    const sessions = stores.map((store) =>
      createSession({ limit: { concurrency: 1, store }, proxy: false }),
    );
    try {
      const texts = await Promise.all(
        sessions.flatMap((session) =>
          [1, 2, 3].map(() => session(`${origin.url}/hold?ms=50`).then((r) => r.text())),
        ),
      );
      assert.deepEqual(texts, Array(6).fill('ok'));
      assert.equal(origin.max, 1, 'one call at a time across both sessions');
    } finally {
      for (const session of sessions) await session.close();
      for (const store of stores) await store.close();
    }
  });

  test('the cache store: a response stored by one store is a hit for another (bytes, TTL)', async () => {
    origin.reset();
    const prefix = `c${Date.now()}:`;
    const client = createClient({ url: redis.url });
    await client.connect();
    const one = createRedisStore({ url: redis.url, prefix, timeout });
    const two = createRedisStore({ client, prefix, timeout });
    try {
      const url = `${origin.url}/cached`;
      const first = await wrap(fetch, cache({ store: one.cache, shared: true }))(url);
      const bytes = new Uint8Array(await first.arrayBuffer());
      assert.deepEqual([...bytes], [0, 255, 128, 10, 13, 0xc3]);
      // The body is stored as it streams to the caller: wait until it is there.
      for (let i = 0; i < 50 && (await client.keys(`${prefix}cache:*`)).length === 0; i++)
        await sleep(20);
      const [key] = await client.keys(`${prefix}cache:*`);
      assert.ok(key, 'a cache key under the prefix');
      const ttl = await client.pTTL(key);
      assert.ok(ttl > 0, `a TTL on the key (PTTL ${ttl})`);
      const second = await wrap(fetch, cache({ store: two.cache, shared: true }))(url);
      assert.match(second.headers.get('cache-status') ?? '', /hit/);
      assert.deepEqual([...new Uint8Array(await second.arrayBuffer())], [...bytes]);
      assert.equal(origin.total, 1, 'the second process never reached the origin');
    } finally {
      await one.close();
      await two.close();
      assert.equal(client.isOpen, true, 'a client given to the store is left open');
      await client.close();
    }
  });
});

describe('Redis store: when Redis fails', { skip }, () => {
  let origin: Counting;
  before(async () => {
    origin = await countingServer();
  });
  after(async () => {
    origin?.server.closeAllConnections();
    await new Promise((resolve) => origin?.server.close(resolve));
  });

  test('Redis killed mid-run: every call succeeds, the outage is reported once, sharing resumes', async () => {
    const redis = await startRedis();
    const errors: unknown[] = [];
    const store = createRedisStore({
      url: redis.url,
      prefix: 'k:',
      timeout: 200,
      onError: (e) => errors.push(e),
    });
    try {
      origin.reset();
      const f = wrap(fetch, limit({ concurrency: 2, store }));
      const batch = () =>
        Promise.all(
          Array.from({ length: 6 }, () => f(`${origin.url}/hold?ms=20`).then((r) => r.text())),
        );
      assert.deepEqual(await batch(), Array(6).fill('ok'));
      assert.equal(errors.length, 0);
      await redis.kill();
      for (let i = 0; i < 3; i++) assert.deepEqual(await batch(), Array(6).fill('ok'));
      assert.equal(errors.length, 1, 'one report for the outage');
      assert.equal(origin.total, 24);
      assert.ok(origin.max <= 2, `local caps still hold: ${origin.max}`);
      // Redis back on the same port: the store uses it again once it reconnects.
      const again = await startRedis(redis.port);
      try {
        let answer: unknown;
        for (let i = 0; i < 100; i++) {
          answer = await store
            .acquireSlot('https://resumed.example', { concurrency: 1, rate: undefined })
            .catch(() => undefined);
          if (answer) break;
          await sleep(100);
        }
        assert.ok(
          answer && typeof answer === 'object' && 'lease' in answer,
          'a slot from Redis again',
        );
      } finally {
        await store.close();
        await again.stop();
      }
    } finally {
      await store.close();
      await redis.stop();
    }
  });

  test('Redis never reachable: calls go on with local state at once', async () => {
    const errors: unknown[] = [];
    const store = createRedisStore({
      url: `redis://127.0.0.1:${await freePort()}`,
      timeout: 200,
      onError: (e) => errors.push(e),
    });
    try {
      origin.reset();
      const f = wrap(fetch, limit({ concurrency: 1, store }));
      const texts = await Promise.all(
        [1, 2, 3].map(() => f(`${origin.url}/hold?ms=20`).then((r) => r.text())),
      );
      assert.deepEqual(texts, ['ok', 'ok', 'ok']);
      assert.equal(origin.max, 1);
      assert.equal(errors.length, 1);
    } finally {
      await store.close();
    }
  });
});

describe('Redis store: close', { skip }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  test('close() before the first connection is made leaves no connection open', async () => {
    const admin = await createClient({ url: redis.url }).connect();
    const connected = async () =>
      Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
    try {
      const before = await connected();
      // A program that only sets up a store and shuts down: the connection is still being made.
      const store = createRedisStore({ url: redis.url });
      await store.close();
      await sleep(300);
      // An open connection would also keep the process from exiting.
      assert.equal(await connected(), before);
    } finally {
      await admin.close();
    }
  });
});
