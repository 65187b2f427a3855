// What the store does when Redis stops answering in the ways real outages take: a pause (as a
// failover makes), a host that vanishes without a word, a process too busy to read a reply in
// time, a link to Redis lost and found again. A real redis-server on 127.0.0.1 throughout,
// and a TCP relay in front of it where a connection must go silent.
import assert from 'node:assert/strict';
import { createServer, type Server, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CookieJar } from '@fetchstack/cookies';
import { createClient } from '@redis/client';
import { type RedisServer, redisMissing, startRedis } from '../test/redis-server.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (at most `seconds`) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`still not so after ${seconds} s: ${what}`);
}

/**
 * Until the store has connected and answered once. A short `timeout` (the cases below need one)
 * can run out while a loaded machine connects; a try that timed out is made again.
 */
async function connected(store: ReturnType<typeof createRedisStore>): Promise<void> {
  for (let tries = 1; ; tries++) {
    const ok = await Promise.resolve()
      .then(() => store.cache.get('warm'))
      .then(
        () => true,
        () => false,
      );
    if (ok) return;
    assert.ok(tries < 20, 'the store connects');
  }
}

/**
 * A TCP relay to Redis whose connections can be made silent: bytes are no longer passed on in
 * either direction, and nothing is closed (as when a host vanishes). New connections relay.
 */
async function relay(port: number): Promise<{ url: string; silence(): void; close(): void }> {
  const live = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const link = { client, upstream, silent: false };
    live.add(link);
    upstream.connect(port, '127.0.0.1');
    client.on('data', (chunk) => {
      if (!link.silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!link.silent) client.write(chunk);
    });
    const end = () => {
      live.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${address.port}`,
    silence() {
      for (const link of live) link.silent = true;
    },
    close() {
      for (const link of live) {
        link.client.destroy();
        link.upstream.destroy();
      }
      server.close();
    },
  };
}

describe('Redis store: outages', { skip }, () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  before(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  after(async () => {
    await client?.close();
    await redis?.stop();
  });

  test('a URL the store refuses is shown without its password', () => {
    assert.throws(
      () => createRedisStore({ url: 'reddis://app:Sup3rS3cret@cache.internal:6379' }),
      (e: unknown) =>
        e instanceof TypeError &&
        /"url" must be a redis:\/\/ or rediss:\/\/ URL; got the URL reddis:\/\/\*\*\*:\*\*\*@cache\.internal:6379\./.test(
          e.message,
        ) &&
        !e.message.includes('Sup3rS3cret'),
    );
    assert.throws(
      () => createRedisStore({ url: 'redis//app:Sup3rS3cret@cache.internal' }),
      (e: unknown) =>
        e instanceof TypeError &&
        /not shown: it may hold a password/.test(e.message) &&
        !e.message.includes('Sup3rS3cret'),
    );
  });

  test('the outage report says what the connection met (here: nothing listens on the port)', async () => {
    const errors: Error[] = [];
    const store = createRedisStore({
      url: 'redis://127.0.0.1:1',
      timeout: 200,
      onError: (error) => errors.push(error as Error),
    });
    try {
      assert.equal(await store.cache.get('any'), undefined);
    } catch {
      // (A failed read is reported, and the call goes on without Redis.)
    }
    await until(async () => errors.length > 0, 'one report');
    assert.match(errors[0]!.message, /ECONNREFUSED/);
    await store.close();
  });

  test('the outage report names Redis when the connection drops under a command in flight', async () => {
    const relayed = await relay(redis.port);
    const errors: Error[] = [];
    const store = createRedisStore({
      url: relayed.url,
      prefix: 'dropped:',
      timeout: 1_000,
      onError: (error) => errors.push(error as Error),
    });
    try {
      await connected(store);
      errors.length = 0; // (what a slow first connection reported)
      const inFlight = (async () => store.cache.get('in flight'))().then(
        () => 'answered',
        () => 'failed',
      );
      // The connection goes under the command (a reset, a crash of Redis's host).
      setImmediate(() => relayed.close());
      assert.equal(await inFlight, 'failed');
      await until(async () => errors.length > 0, 'one report');
      // Not a bare socket error (`read ECONNRESET`, `Socket closed unexpectedly`): it says Redis.
      assert.match(errors[0]!.message, /^Redis did not answer: \S/);
    } finally {
      await store.close();
    }
  });

  test('a slot asked for while Redis is paused is given back once it answers: the cap is not held by no one', async () => {
    const prefix = 'paused:';
    // A timeout that a busy machine (test files run at once) does not cross before the pause,
    // and a pause well past it.
    const store = createRedisStore({ url: redis.url, prefix, timeout: 400, onError: () => {} });
    const key = `${prefix}limit:{origin}:concurrency`;
    try {
      await connected(store);
      // Then the script known to Redis (a late EVALSHA of an unknown one would fail).
      const first = await store.acquireSlot('origin', { concurrency: 1, rate: undefined });
      assert.ok('lease' in first);
      await store.releaseSlot('origin', first.lease);
      assert.equal(await client.zCard(key), 0);
      await client.sendCommand(['CLIENT', 'PAUSE', '2000', 'ALL']);
      await assert.rejects(
        store.acquireSlot('origin', { concurrency: 1, rate: undefined }),
        /did not answer/,
      );
      // Once the pause ends, Redis runs the script, then the command that gives its slot back.
      await sleep(2_500);
      assert.equal(await client.zCard(key), 0, 'the late slot was given back');
      const granted = await store.acquireSlot('origin', { concurrency: 1, rate: undefined });
      assert.ok('lease' in granted, 'the cap is free for the next call');
    } finally {
      await store.close();
    }
  });

  test('close() waits at most `timeout` for a Redis that does not answer', async () => {
    const store = createRedisStore({
      url: redis.url,
      prefix: 'close:',
      timeout: 200,
      onError: () => {},
    });
    await connected(store);
    await client.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL']);
    await assert.rejects(async () => store.cache.get('during'), /did not answer/);
    const closing = store.close().then(() => 'closed');
    const outcome = await Promise.race([closing, sleep(2_500).then(() => 'still waiting')]);
    assert.equal(outcome, 'closed', 'close() ended before Redis answered again');
    // (The pause ends by itself.)
    await client.ping();
  });

  test('a reply that came while the process was busy is used, not called late', async () => {
    const store = createRedisStore({
      url: redis.url,
      prefix: 'busy:',
      timeout: 100,
      onError: () => {},
    });
    try {
      await connected(store);
      const answer = store.acquireSlot('origin', { concurrency: 5, rate: undefined });
      // The command goes out on this turn of the event loop; then the process is busy for
      // longer than the timeout, as when a burst of calls is made at once.
      await new Promise((resolve) => setImmediate(resolve));
      const busyUntil = Date.now() + 400;
      while (Date.now() < busyUntil) {
        // busy
      }
      const granted = await answer;
      assert.ok('lease' in granted, 'the slot Redis granted is used');
      await store.releaseSlot('origin', (granted as { lease: string }).lease);
    } finally {
      await store.close();
    }
  });

  test('a connection that went silent (the host vanished) is made again; the store shares again', async () => {
    const relayed = await relay(redis.port);
    const errors: unknown[] = [];
    const store = createRedisStore({
      url: relayed.url,
      prefix: 'silent:',
      timeout: 100,
      onError: (error) => errors.push(error),
    });
    try {
      await client.set('silent:cache:probe', 'x');
      await connected(store);
      errors.length = 0; // (what a slow first connection reported)
      await store.cache.set('seen', { responses: [] }, { ttl: 60_000 });
      relayed.silence();
      await assert.rejects(async () => store.cache.get('seen'), /did not answer/);
      // Calls go on alone meanwhile; after a silence of max(2 s, 8 × timeout) the store
      // connects again, through the relay, which relays new connections.
      await until(async () => {
        try {
          return (await store.cache.get('seen')) !== undefined;
        } catch {
          return false;
        }
      }, 'the store reads from Redis again');
      assert.equal(errors.length, 1, 'one report for the outage');
    } finally {
      const closing = store.close();
      assert.equal(
        await Promise.race([closing.then(() => 'closed'), sleep(4_000).then(() => 'hung')]),
        'closed',
      );
      relayed.close();
    }
  });

  test('after its notifications reconnect, a copy of the jar drops what the fleet deleted meanwhile, and keeps what it has when Redis lost its data', async () => {
    const prefix = 'jar-reload:';
    const one = createRedisStore({ url: redis.url, prefix, timeout: 1_000, onError: () => {} });
    const two = createRedisStore({ url: redis.url, prefix, timeout: 1_000, onError: () => {} });
    const a = new CookieJar(one.cookies);
    const b = new CookieJar(two.cookies);
    const valueIn = async (jar: CookieJar, name: string) =>
      (await jar.get(name, 'http://example.com/'))?.value;
    try {
      await a.set('sid', '1', { domain: 'example.com' });
      await a.set('keep', '2', { domain: 'example.com' });
      await until(async () => (await valueIn(b, 'sid')) === '1', 'B has sid');
      await until(async () => (await valueIn(b, 'keep')) === '2', 'B has keep');
      // Deleted while B's notifications were down: no message reaches B.
      await client.del(`${prefix}cookies:example.com;/;sid`);
      await client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await until(async () => (await valueIn(b, 'sid')) === undefined, 'B dropped sid');
      assert.equal(await valueIn(b, 'keep'), '2', 'what Redis holds stays');
      // Redis lost everything (as when it restarts empty): the copies keep what they have.
      await client.sendCommand(['FLUSHDB']);
      await client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await a.set('after', '3', { domain: 'example.com' });
      await until(async () => (await valueIn(b, 'after')) === '3', 'B hears of A again');
      assert.equal(await valueIn(b, 'keep'), '2', 'a copy keeps its cookies when Redis lost them');
    } finally {
      await one.close();
      await two.close();
    }
  });
});
