// What a user writes after `npm install fetchstack`: the README's quick start and recipes,
// type-checked (strict, moduleResolution nodenext and bundler) and run against a local
// server by scripts/consumer-check.mjs, from the packed tarballs.
import { type Fetch, wrap } from '@fetchstack/core';
import { headers } from '@fetchstack/headers';
import { retry } from '@fetchstack/retry';
import {
  createSession,
  isRetryError,
  logger,
  type Session,
  type SessionOptions,
} from '@fetchstack/session';
import { isTimeoutError, timeout } from '@fetchstack/timeout';
import * as everything from 'fetchstack';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Runs every step against `base` (the local test server, ending in `/`); returns one line per step. */
export async function run(base: string): Promise<string[]> {
  const lines: string[] = [];
  // The test server keeps state per id: unique ones let several runtimes run at once.
  const id = `consumer-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  // Quick start.
  const options: SessionOptions = {
    baseUrl: base,
    headers: { 'X-Client': 'consumer-check/1.0', Accept: 'application/json' },
    retry: { limit: 3 },
    timeout: { total: 30_000, read: 10_000 },
  };
  const session: Session = createSession(options);
  try {
    const echo = await session.client.get('echo/me').json<{ headers: Record<string, string> }>();
    check(echo.headers['x-client'] === 'consumer-check/1.0', 'the session header was sent');
    lines.push('quick start: session.client (ky) sent the default headers');

    // A bearer token that refreshes: the token endpoint is called with plain fetch.
    const tokens = { access: 'expired' };
    const api = createSession({
      baseUrl: base,
      auth: {
        bearer: () => tokens.access,
        refresh: async () => {
          const res = await fetch(new URL(`auth/refresh?id=${id}`, base), { method: 'POST' });
          const { token } = (await res.json()) as { token: string };
          tokens.access = token;
          return token;
        },
      },
    });
    const me = await api(`auth/bearer?id=${id}`);
    check(me.status === 200, `bearer refresh then 200, got ${me.status}`);
    lines.push(`bearer: 401, refresh, replay -> ${me.status} with ${tokens.access}`);
    await api.close();

    // Cookies kept between calls.
    await session('set-cookie?c=sid%3Dabc123%3B%20Path%3D%2F');
    const jar = await (await session('cookies')).json();
    check(jar.cookies.sid === 'abc123', 'the cookie was sent back');
    // A page cannot read the browser's jar; everywhere else the session's own jar answers.
    if (typeof (globalThis as { document?: unknown }).document === 'undefined') {
      const stored = await session.cookies.get('sid', base);
      check(stored?.value === 'abc123', 'session.cookies.get finds it');
    }
    lines.push('cookies: Set-Cookie stored and sent back');

    // Retries, one log line per try.
    const tries: string[] = [];
    const flaky = createSession({
      baseUrl: base,
      retry: { limit: 3, backoff: { initial: 10 } },
      hooks: logger({ log: (...args: unknown[]) => tries.push(args.join(' ')) }),
    });
    const ok = await flaky(`flaky?id=${id}-retries&fail=2`);
    check(ok.status === 200, `the third try succeeds, got ${ok.status}`);
    check(tries.length >= 3, `one line per try and retry, got ${tries.length}`);
    lines.push(`retries: ${tries.length} log lines, final status ${ok.status}`);
    await flaky.close();

    // Timeouts.
    const quick = createSession({ baseUrl: base, timeout: 200 });
    const error = await quick('slow?ms=5000').then(
      () => undefined,
      (e: unknown) => e,
    );
    check(isTimeoutError(error), `a TimeoutError, got ${String(error)}`);
    lines.push(`timeout: ${(error as Error).name}`);
    await quick.close();

    // Settings for one call, and a hook for tries that failed without a response.
    const once = await session(`flaky?id=${id}-once&fail=1`, { fetchstack: { retry: false } });
    check(once.status === 503, `retry: false for one call returns the 503, got ${once.status}`);
    await once.body?.cancel();
    const failed: string[] = [];
    const strict = createSession({
      baseUrl: base,
      retry: { limit: 1, backoff: { initial: 10 } },
      hooks: {
        // A hook's result is ignored: an arrow that returns one (push's count) type-checks.
        afterError: ({ attempt, error }) => failed.push(`${attempt}: ${String(error)}`),
      },
    });
    const gaveUp = await strict('slow?ms=5000', { fetchstack: { timeout: { attempt: 150 } } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    check(isRetryError(gaveUp), `a RetryError after two timed-out tries, got ${String(gaveUp)}`);
    check(failed.length === 2, `afterError once per failed try, got ${failed.length}`);
    lines.push(
      `per call: retry off -> ${once.status}; attempt 150 ms -> ${gaveUp.name}, afterError x${failed.length}`,
    );
    await strict.close();

    // A wrapper alone, on a plain fetch.
    const plain: Fetch = wrap(
      fetch,
      headers({ 'X-App': 'consumer' }),
      retry({ limit: 1 }),
      timeout(5_000),
    );
    const alone = await (await plain(new URL('echo/alone', base))).json();
    check(alone.headers['x-app'] === 'consumer', 'headers() alone');
    lines.push('wrappers alone: wrap(fetch, headers(), retry(), timeout())');

    // The umbrella package has the same names.
    check(everything.createSession === createSession, 'fetchstack re-exports createSession');
    lines.push('fetchstack: re-exports @fetchstack/session');
  } finally {
    await session.close();
  }
  return lines;
}
