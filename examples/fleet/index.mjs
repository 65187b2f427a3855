// A fleet: 4 worker processes call one API through sessions, first each on its own, then
// sharing a Redis store (createSession({ store, ... })). The API (a local server this example
// starts) takes 20 authorised requests in any second and answers more with 429 + Retry-After,
// and its tokens expire after 2 s (401, then the session refreshes at POST /token).
// It prints what the API saw in each run: with the store, one refresh per expiry for the
// whole fleet instead of one per process, a 429's Retry-After waited out by all (after which
// the waiting calls race again), and with `limit` the rate held across the processes.
//
//   node examples/fleet/index.mjs          (starts its own redis-server on a free port)
import { fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

const workers = 4;
const callsPerWorker = 12;
const ratePerSecond = 20;
const tokenLifetimeMs = 2_000;

if (process.argv[2] === 'worker') await worker();
else await main();

// ---------------------------------------------------------------------------------------------
// One worker process: a session (with the fleet's store when REDIS_URL is set), 12 calls,
// 8 at a time; sends its counts to the parent.
async function worker() {
  const { createSession } = await import('@fetchstack/session');
  const { createRedisStore } = await import('@fetchstack/redis');
  const api = process.env.API;
  const store = process.env.REDIS_URL
    ? createRedisStore({
        url: process.env.REDIS_URL,
        prefix: 'fleet-example:',
        // The most a call waits for Redis before going on alone (250 ms by default): generous
        // here, so that a busy machine running the examples side by side still shows the fleet.
        timeout: 1_000,
      })
    : undefined;
  let retries = 0;
  let refreshes = 0;
  const session = createSession({
    baseUrl: api,
    proxy: false,
    ...(store ? { store } : {}),
    // With LIMIT: a little under the API's rate (a request counts when the API receives it,
    // which may be after a token refresh); with a store it holds for the whole fleet.
    ...(process.env.LIMIT ? { limit: { rate: { requests: ratePerSecond - 2, per: 1_000 } } } : {}),
    // 32 calls at once against 20 a second: when a wait ends, the calls that waited race
    // for the next second's slots and some lose again, so a call may need several tries.
    // The retry budget (shared by the fleet through the store) is sized for that: each process
    // decides from its grant of the fleet's retries between two exchanges with Redis (every
    // 200 ms), and its 8 calls at once can all get a 429 together. With the default reserve
    // (10 retries a second over 10 s) a grant can run out in such a burst while the fleet as a
    // whole still has retries left, and the call then gets its 429.
    retry: { limit: 10, budget: { minPerSecond: 20 } },
    auth: {
      bearer: 'expired',
      refresh: async () => {
        refreshes++;
        const res = await fetch(`${api}/token`, { method: 'POST' });
        return (await res.json()).token;
      },
    },
    hooks: { beforeRetry: () => void retries++ },
  });
  let failed = 0;
  const statuses = [];
  let next = 0;
  const one = async () => {
    while (next < callsPerWorker) {
      const res = await session(`items/${process.pid}-${next++}`);
      if (!res.ok) {
        failed++;
        statuses.push(res.status);
      }
      await res.arrayBuffer();
    }
  };
  // One call first (it gets the first token), then 8 at a time.
  await (await session('items/first')).arrayBuffer();
  await Promise.all(Array.from({ length: 8 }, one));
  await session.close();
  await store?.close();
  process.send?.({ retries, refreshes, failed, statuses });
  process.disconnect?.();
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);
  if (!redisServer) {
    console.log(
      'fleet example skipped: redis-server is not installed (apt-get install redis-server, or brew install redis).',
    );
    return;
  }
  const api = await startApi();
  const redisPort = await freePort();
  const redis = spawn(
    redisServer,
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(redisPort);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const alone = await run(api, {});
    const fleet = await run(api, { REDIS_URL: redisUrl });
    const limited = await run(api, { REDIS_URL: redisUrl, LIMIT: '1' });

    const rows = [
      ['requests the API received', 'requests'],
      ['  answered 401 (token expired)', 'unauthorised'],
      ['  answered 429 (over the rate)', 'limited'],
      ['token refreshes (POST /token)', 'refreshes'],
      ['retries (after a 429)', 'retries'],
      ['calls that failed', 'failed'],
    ];
    const calls = workers * callsPerWorker;
    console.log(
      `${workers} processes x ${callsPerWorker} calls (${calls}), API: ${ratePerSecond} requests/s, tokens live ${tokenLifetimeMs} ms`,
    );
    console.log('');
    const line = (cells) =>
      console.log(cells.map((c, i) => (i === 0 ? c.padEnd(32) : c.padStart(13))).join(''));
    line(['', 'each alone', 'one of them', 'as a fleet', '+ limit']);
    for (const [label, key] of rows) {
      const perProcess = (alone[key] / workers).toFixed(1);
      line([label, String(alone[key]), perProcess, String(fleet[key]), String(limited[key])]);
    }
    line(['time', `${alone.ms} ms`, '', `${fleet.ms} ms`, `${limited.ms} ms`]);
    console.log('');
    console.log(
      'each alone: each process refreshes the token itself, and learns of the rate limit by its\n' +
        '  own 429s. as a fleet (createSession({ store, ... })): one refresh per expiry for all\n' +
        '  four (the others wait for its token), and the first 429 makes every process wait its\n' +
        '  Retry-After (kept in Redis, announced by pub/sub), but when the wait ends the calls that\n' +
        "  waited race for the next second's slots, so a fleet may see as many 429s as the processes\n" +
        "  alone. + limit: the same fleet with limit: { rate } a little under the API's, held across\n" +
        '  the processes: the fewest 429s.',
    );
    if (fleet.failed + alone.failed + limited.failed > 0) process.exitCode = 1;
    if (fleet.refreshes >= alone.refreshes) {
      console.log('unexpected: the fleet refreshed as often as the processes alone');
      process.exitCode = 1;
    }
  } finally {
    redis.kill('SIGTERM');
    api.close();
  }
}

/** Runs the workers against a fresh API state; resolves to their counts and the API's. */
async function run(api, env) {
  api.reset();
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: workers }, () => {
      const child = fork(fileURLToPath(import.meta.url), ['worker'], {
        env: { ...process.env, API: api.url, ...env },
      });
      return new Promise((resolve, reject) => {
        let result;
        child.on('message', (m) => {
          result = m;
        });
        child.on('exit', (code) =>
          result ? resolve(result) : reject(new Error(`a worker exited with ${code}`)),
        );
      });
    }),
  );
  const sum = (key) => results.reduce((n, r) => n + r[key], 0);
  if (sum('failed') > 0)
    console.log(
      'failed with',
      results.flatMap((r) => r.statuses),
    );
  return {
    ...api.counts,
    retries: sum('retries'),
    failed: sum('failed'),
    ms: Date.now() - started,
  };
}

/** The mock API: POST /token gives a token for 2 s; GET /items/* wants it, 20 in any second. */
async function startApi() {
  const tokens = new Map(); // token -> expiry
  let issued = 0;
  const starts = []; // when each authorised request of the last second arrived
  const counts = {};
  const server = createServer((req, res) => {
    counts.requests++;
    const now = Date.now();
    if (req.method === 'POST' && req.url === '/token') {
      counts.refreshes++;
      const token = `t${++issued}`;
      tokens.set(token, now + tokenLifetimeMs);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token }));
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !(tokens.get(token) > now)) {
      counts.unauthorised++;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end();
      return;
    }
    while (starts.length > 0 && starts[0] <= now - 1_000) starts.shift();
    if (starts.length >= ratePerSecond) {
      counts.limited++;
      // When the oldest request of the window leaves it (whole seconds, rounded up).
      res.writeHead(429, { 'retry-after': String(Math.ceil((starts[0] + 1_000 - now) / 1000)) });
      res.end('slow down');
      return;
    }
    starts.push(now);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ item: req.url }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    reset() {
      tokens.clear();
      Object.assign(counts, { requests: 0, unauthorised: 0, limited: 0, refreshes: 0 });
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}
