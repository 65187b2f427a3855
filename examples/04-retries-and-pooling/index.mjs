// requests.Session tutorial, part 4: retries and pooling through an "adapter". urllib3's
//   Retry(total=3, backoff_factor=0.5, status_forcelist=[429, 500, 502, 503, 504],
//         allowed_methods=["HEAD", "GET", "OPTIONS", "POST"], raise_on_status=False)
// with pool_maxsize=20, mounted on http:// and https://.
//   node examples/04-retries-and-pooling/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession } from 'fetchstack';

const local = await startLocal();
try {
  const adapter = {
    retry: {
      limit: 3,
      backoff: { initial: 250, factor: 2 }, // 250, 500, 1000 ms (jittered)
      statusCodes: [429, 500, 502, 503, 504],
      methods: ['HEAD', 'GET', 'OPTIONS', 'POST'], // POST only if the API is idempotent for it
      throwOnExhausted: false, // raise_on_status=False: the last response comes back
    },
    pool: { connections: 20 },
  };
  const waits = [];
  const session = createSession({
    hooks: {
      beforeRetry: ({ attempt, delay, response }) => {
        waits.push(delay);
        console.log(
          `  retry ${attempt} after status ${response?.status}, waiting ${Math.round(delay)} ms`,
        );
      },
    },
  });
  session.mount('http://', adapter).mount('https://', adapter);

  // The project's test server fails the first two tries of /flaky, then answers 200.
  const id = `example-${Date.now()}`;
  const res = await session(`${local.test}flaky?id=${id}&fail=2`);
  const body = await res.json();
  console.log(`status ${res.status} after ${body.tries} tries`);
  check(res.status === 200 && body.tries === 3, 'two retries, then success');
  check(waits.length === 2, 'two waits');

  // Exhausted: the last 503 is returned, not thrown (raise_on_status=False).
  const down = await session(`${local.base}${local.paths.status(503)}`);
  console.log(`always-503 endpoint: status ${down.status} returned after the retries`);
  await down.body?.cancel();
  check(down.status === 503, 'the last response came back');
  await session.close();
} finally {
  await local.close();
}
