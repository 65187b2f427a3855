// One process of a fleet, for the tests: calls TARGET through limit({ ..., store }) with a
// Redis store, then prints one JSON line with what happened.
//   MODE=calls: CALLS calls at once; prints { ok, failed }
//   MODE=hold: takes one slot and keeps it (never gives it back); prints { held: true }
import { wrap } from '@fetchstack/core';
import { limit } from '@fetchstack/limit';
import { createRedisStore } from '../src/index.js';

const env = process.env;
const store = createRedisStore({
  url: env.REDIS_URL as string,
  prefix: env.PREFIX,
  lease: Number(env.LEASE ?? 30_000),
  // Generous: on a loaded machine a slow answer must not send a child into local counting.
  timeout: 5_000,
  onError: () => {},
});
const concurrency = env.CONCURRENCY ? Number(env.CONCURRENCY) : undefined;
const rate = env.REQUESTS ? { requests: Number(env.REQUESTS), per: Number(env.PER) } : undefined;

if (env.MODE === 'hold') {
  const answer = await store.acquireSlot(new URL(env.TARGET as string).origin, {
    concurrency,
    rate,
  });
  console.log(JSON.stringify({ held: 'lease' in answer }));
  setInterval(() => {}, 60_000);
} else {
  const f = wrap(fetch, limit({ concurrency, rate, store }));
  const results = await Promise.allSettled(
    Array.from({ length: Number(env.CALLS ?? 1) }, () =>
      f(env.TARGET as string).then((res) => res.text()),
    ),
  );
  await store.close();
  console.log(
    JSON.stringify({
      ok: results.filter((r) => r.status === 'fulfilled').length,
      failed: results.filter((r) => r.status === 'rejected').length,
    }),
  );
}
