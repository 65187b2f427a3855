// createSession({ store }) with a Redis store: the session's parts from the store, across
// sessions and processes. Each test starts what it needs: its own redis-server on a free port,
// a real HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSession } from '@fetchstack/session';
import type { Origin } from '../test/origin.js';
import { type RedisServer, redisMissing } from '../test/redis-server.js';
import { fleetServers } from '../test/servers.js';
import { createRedisStore } from './index.js';

const skip = redisMissing ?? false;
// Generous: on a loaded machine a slow answer must not send a test into local state.
const timeout = 5_000;
if (redisMissing) console.log(`# skipped: ${redisMissing}`);

describe('createSession({ store }): checks', () => {
  test('a store with a URL that does not parse throws a TypeError at creation', () => {
    assert.throws(() => createSession({ store: createRedisStore({ url: 'not a url' }) }), {
      name: 'TypeError',
      message: /"url" must be a redis:\/\/ or rediss:\/\/ URL/,
    });
  });

  test('a Redis store is a session store (checked, not opened by the check)', async () => {
    const store = createRedisStore({ url: 'redis://127.0.0.1:1', onError: () => {} });
    try {
      const session = createSession({ store, limit: { concurrency: 1 } });
      await session.close();
    } finally {
      await store.close();
    }
  });
});

describe('createSession({ store }): with Redis', { skip }, () => {
  let redis: RedisServer;
  let origin: Origin;
  fleetServers((started) => ({ redis, origin } = started));

  test('two sessions with createSession({ store, limit }) share the cap; their caches share store.cache', async () => {
    origin.reset();
    const prefix = `ss${Date.now()}:`;
    const stores = [1, 2].map(() => createRedisStore({ url: redis.url, prefix, timeout }));
    const sessions = stores.map((store) =>
      createSession({ store, limit: { concurrency: 1 }, cache: { shared: true }, proxy: false }),
    );
    try {
      const texts = await Promise.all(
        sessions.flatMap((session) =>
          [1, 2, 3].map(() => session(`${origin.url}/hold?ms=40`).then((r) => r.text())),
        ),
      );
      assert.deepEqual(texts, Array(6).fill('ok'));
      assert.equal(origin.total('/hold'), 6);
      assert.equal(origin.max, 1, 'one call at a time across both sessions');

      assert.equal(await (await sessions[0]!(`${origin.url}/cached`)).text(), 'cached');
      let hit: Response | undefined;
      for (let i = 0; i < 50; i++) {
        hit = await sessions[1]!(`${origin.url}/cached`);
        if (/hit/.test(hit.headers.get('cache-status') ?? '')) break;
        await hit.text();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(hit?.headers.get('cache-status') ?? '', /hit/);
      assert.equal(await hit?.text(), 'cached');
    } finally {
      for (const session of sessions) await session.close();
      for (const store of stores) await store.close();
    }
  });
});
