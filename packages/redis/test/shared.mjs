// The fleet's cookie jar and bearer refresh in any runtime (Node, Deno, Bun), on the built
// packages: two sessions of @fetchstack/session, A and B, each given its own Redis store of one
// prefix, against a real HTTP server (ORIGIN, started by runtimes.mjs) and a real redis-server
// (REDIS_URL). ROLES=a,b runs both sessions in this process; ROLES=a or ROLES=b runs one, the
// other being another process with the same PREFIX. A and B meet at the server's barriers.
// Plain JavaScript, web APIs, the store and the session only (and node-redis to read a TTL).
// Prints "ok <name>" / "FAIL <name>: <why>" per check, then "N passed, N failed".
//
// The server (runtimes.mjs): /set?name&value[&maxAge][&path] sets a cookie, /echo answers the
// Cookie header it got, /api answers 200 for the current access token and 401 otherwise (with
// ?together=N, the 401s are held until N of them have arrived), POST /refresh hands out the
// next token for the current refresh token (rotating: a used one is refused), /stats tells what
// it received, /barrier?name&n waits until n callers have come.
import { createClient } from '@redis/client';
import { createSession } from '../../session/dist/index.js';
import { createRedisStore } from '../dist/index.js';
import { assert, check, finish } from './checks.mjs';

const env = (name) => globalThis.Deno?.env.get(name) ?? globalThis.process?.env?.[name];
const redisUrl = env('REDIS_URL');
const origin = env('ORIGIN');
const prefix = env('PREFIX') ?? `shared${Date.now()}${Math.random().toString(36).slice(2, 6)}:`;
const roles = (env('ROLES') ?? 'a,b').split(',');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (name, path = '/') => `${prefix}cookies:127.0.0.1;${path};${name}`;
/** Waits until `condition` holds, asking every 10 ms for at most 5 s. */
async function until(condition, what) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error(`still not so after 5 s: ${what}`);
}
/** Waits for the other session at the server (which answers after at most 15 s all the same). */
async function meet(name) {
  try {
    await (await fetch(`${origin}/barrier?name=${name}&n=2`)).text();
  } catch {}
}

/** A session of the fleet, and its call: never throws, answers "status body" or "error ...". */
function member(role) {
  const store = createRedisStore({ url: redisUrl, prefix, timeout: 5_000, onError: () => {} });
  // A rotating refresh token, as an OAuth server hands out: each session keeps its own.
  let refreshToken = 'R0';
  const session = createSession({
    store,
    proxy: false,
    retry: false,
    auth: {
      bearer: 'A0',
      async refresh() {
        const response = await fetch(`${origin}/refresh`, { method: 'POST', body: refreshToken });
        const text = await response.text();
        if (!response.ok) throw new Error(`refresh refused: ${response.status} ${text}`);
        const pair = JSON.parse(text);
        refreshToken = pair.refresh;
        return pair.access;
      },
    },
  });
  const call = async (path, headers = {}) => {
    try {
      const response = await session(`${origin}${path}`, { headers });
      return `${response.status} ${await response.text()}`;
    } catch (error) {
      return `error ${error?.name}: ${error?.message}`;
    }
  };
  const hasCookie = async (name) => (await session.cookies.get(name, origin)) !== undefined;
  return { role, store, session, call, hasCookie };
}

/** Three calls with the stale token at once; their 401s are held until all 6 of A and B came. */
async function concurrent401s({ role, call }) {
  const name = role.toUpperCase();
  await meet('tokens');
  await check(
    `${name}: bearer: 3 concurrent calls answered 401 (with the other session's 3), each ends 200`,
    async () => {
      const answers = await Promise.all(
        [0, 1, 2].map((i) => call('/api?together=6', { 'x-call': `${name}${i}` })),
      );
      for (const answer of answers) assert(/^200 ok A\d+$/.test(answer), answers.join(' | '));
    },
  );
  await meet('called');
}

async function sessionA(a) {
  const redis = createClient({ url: redisUrl });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await a.call('/echo');
    await meet('start');
    await check('A: jar: a cookie set in a response to A is written to Redis', async () => {
      const set = await a.call('/set?name=sid&value=abc');
      assert(set === '200 set', set);
      await a.store.cookies.flush();
      const stored = JSON.parse((await redis.get(key('sid'))) ?? '{}');
      assert(stored.value === 'abc', `in Redis: ${JSON.stringify(stored)}`);
      const ttl = await redis.pTTL(key('sid'));
      assert(ttl === -1, `a session cookie has no TTL (PTTL ${ttl})`);
    });
    await meet('set');
    await meet('seen');
    await check(
      'A: jar: the key of a Max-Age=1 cookie has a PTTL of at most 1000 ms, then expires',
      async () => {
        // PTTL -2 (no key): it was written and had already expired when read (a machine slower
        // than 1 s between the response and the read), or it was never written: tried 3 times.
        let ttl = -2;
        for (let attempt = 0; attempt < 3 && ttl === -2; attempt++) {
          const set = await a.call('/set?name=brief&value=1&maxAge=1&path=/brief');
          assert(set === '200 set', set);
          await a.store.cookies.flush();
          ttl = await redis.pTTL(key('brief', '/brief'));
        }
        assert(ttl > 0 && ttl <= 1_000, `PTTL ${ttl}`);
        await until(
          async () => (await redis.exists(key('brief', '/brief'))) === 0,
          'the key expires by itself',
        );
      },
    );
    await check('A: jar: a Max-Age=0 cookie from the server deletes the key in Redis', async () => {
      const set = await a.call('/set?name=sid&value=&maxAge=0');
      assert(set === '200 set', set);
      await a.store.cookies.flush();
      assert((await redis.exists(key('sid'))) === 0, 'the key is still there');
      assert(!(await a.hasCookie('sid')), 'still in A’s jar');
    });
    await meet('deleted');
    await concurrent401s(a);
    await check(
      'A: bearer: the server counted exactly one refresh; each call one 401, one 200',
      async () => {
        const stats = await (await fetch(`${origin}/stats`)).json();
        assert(!stats.heldTooLong, 'the 6 calls did not all come within 15 s');
        assert(JSON.stringify(stats.refreshes) === '["ok"]', `refreshes: ${stats.refreshes}`);
        const calls = Object.entries(stats.calls);
        assert(calls.length === 6, `calls: ${JSON.stringify(stats.calls)}`);
        for (const [id, seen] of calls) assert(seen.join() === '401,200', `${id}: ${seen}`);
      },
    );
  } finally {
    await redis.close().catch(() => redis.destroy());
  }
}

async function sessionB(b) {
  let had = false;
  await b.call('/echo');
  await meet('start');
  await meet('set');
  await check(
    'B: jar: the cookie A received reaches B’s jar, and B’s next request sends it',
    async () => {
      await until(() => b.hasCookie('sid'), 'the cookie is in B’s jar');
      had = true;
      const echoed = await b.call('/echo');
      assert(echoed === '200 sid=abc', echoed);
    },
  );
  await meet('seen');
  await meet('deleted');
  await check(
    'B: jar: A’s Max-Age=0 deletion reaches B’s jar; B’s next request has no cookie',
    async () => {
      assert(had, 'B never had the cookie: nothing to delete');
      await until(async () => !(await b.hasCookie('sid')), 'the cookie leaves B’s jar');
      const echoed = await b.call('/echo');
      assert(echoed === '200 ', echoed);
    },
  );
  await concurrent401s(b);
}

const members = roles.map(member);
try {
  await Promise.all(members.map((m) => (m.role === 'a' ? sessionA(m) : sessionB(m))));
} finally {
  for (const m of members) {
    await m.session.close();
    await m.store.close();
  }
}
finish();
