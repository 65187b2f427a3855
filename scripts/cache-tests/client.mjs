// The client half of the cache-tests run: bundled per runtime by ../cache-tests.mjs and run in
// a child process (the suite's runner keeps its results in module state: one process per
// configuration). Reads CACHE_TESTS_BASE (the suite's server), CACHE_TESTS_CACHE ('private' or
// 'shared') and CACHE_TESTS_CLIENT ('fetchstack', or 'undici' for undici's cache interceptor,
// Node only); prints the suite's results as one JSON line.
import { createSession } from '../../packages/session/dist/index.js';
import { getResults, runTests } from '../../vendor/cache-tests/test-engine/client/runner.mjs';
import tests from '../../vendor/cache-tests/tests/index.mjs';

const env = globalThis.process?.env ?? globalThis.Deno?.env.toObject();
const base = env.CACHE_TESTS_BASE;
const shared = env.CACHE_TESTS_CACHE === 'shared';
const platformFetch = globalThis.fetch;

async function cachedFetch() {
  if (env.CACHE_TESTS_CLIENT === 'undici') {
    const undici = await import(env.CACHE_TESTS_UNDICI);
    const dispatcher = new undici.Agent().compose(
      undici.interceptors.cache({ type: shared ? 'shared' : 'private' }),
    );
    return (input, init) => undici.fetch(input, { ...init, dispatcher });
  }
  const session = createSession({
    cache: shared ? { shared: true } : true,
    retry: false,
    timeout: false,
    cookies: false,
    proxy: false,
  });
  return session;
}

const cached = await cachedFetch();
// The suite sends its own bookkeeping (/config, /state) through the global fetch too: only the
// test requests (/test/...) go through the cache. In the shared run the suite marks each test
// request `cache: 'no-store'`, meant for a browser's cache in front of the proxy it scores;
// here the cache under test is that proxy, so the mode is taken off.
globalThis.fetch = (input, init) => {
  if (!String(input).startsWith(`${base}/test/`)) return platformFetch(input, init);
  if (shared && init) {
    const { cache: _, ...rest } = init;
    return cached(input, rest);
  }
  return cached(input, init);
};

// Every test at once: most of the suite's time is its 3 s pauses, which then overlap.
await runTests(tests, !shared, base, 10_000);
console.log(JSON.stringify(getResults()));
