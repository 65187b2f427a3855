// Cases for @fetchstack/session (portable: no node: imports; they run in every runtime).
import type { Middleware } from '@fetchstack/core';
import { CookieJar, createSession, isSessionClosedError, logger } from '@fetchstack/session';
import { withClient } from '@fetchstack/session/client';
import { createSession as createLeanSession } from '@fetchstack/session/lean';
import {
  count,
  deepEqual,
  equal,
  group,
  match,
  ok,
  rejects,
  type Seen,
  seen,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';
import ky from 'ky';

const echo = async (res: Response): Promise<Seen> => (await res.json()) as Seen;
const fast = { limit: 2, backoff: { initial: 10, jitter: false } };
const browserJar = {
  chromium: "a page cannot read the browser's cookie jar: CookieJar methods reject there by design",
};

/**
 * Expires cookies a case set for the test server's host. In browsers they live in the
 * browser's own jar, which every later case of the run shares (a redirect case that counts
 * the cookies it sends would see them); elsewhere this only empties the session's jar.
 */
async function forget(session: (url: string) => Promise<Response>, base: string, names: string[]) {
  for (const name of names) {
    const gone = encodeURIComponent(`${name}=; Max-Age=0; Path=/`);
    const res = await session(`${base}/set-cookie?c=${gone}`);
    await res.body?.cancel();
  }
}

group('session', () => {
  test('headers: defaults reach the server, a call header wins, session.headers is live', async ({
    server,
  }) => {
    const session = createSession({ headers: { 'X-App': 'demo/1.0', 'X-Keep': 'kept' } });
    let seenBy = await echo(await session(`${server.http}/echo`));
    equal(seenBy.headers['x-app'], 'demo/1.0');
    seenBy = await echo(await session(`${server.http}/echo`, { headers: { 'X-App': 'call' } }));
    equal(seenBy.headers['x-app'], 'call');
    equal(seenBy.headers['x-keep'], 'kept');
    session.headers.set('X-Trace', 'later');
    session.headers.delete('X-Keep');
    seenBy = await echo(await session(`${server.http}/echo`));
    equal(seenBy.headers['x-trace'], 'later');
    equal(seenBy.headers['x-keep'], undefined);
    await session.close();
  });

  test('baseUrl: relative strings extend it, absolute strings, URLs and Requests are left alone', async ({
    server,
  }) => {
    const session = createSession({ baseUrl: `${server.http}/echo/v1/` });
    equal((await echo(await session('users/me?q=1'))).url, '/echo/v1/users/me?q=1');
    equal((await echo(await session('/echo/root'))).url, '/echo/root');
    equal((await echo(await session(`${server.http}/echo/abs`))).url, '/echo/abs');
    equal(
      (await echo(await session(new URL('/echo/url', server.http2)))).listener.split(':')[0],
      'http2',
    );
    const request = new Request(`${server.http}/echo/request`, { method: 'PUT', body: 'r' });
    const viaRequest = await echo(await session(request));
    equal(viaRequest.url, '/echo/request');
    equal(viaRequest.method, 'PUT');
    equal(viaRequest.body, 'r');
    equal(session.baseUrl?.href, `${server.http}/echo/v1/`);
    await session.close();
  });

  test('auth: [user, pass] sends Basic; session.auth is replaceable; false removes it', async ({
    server,
  }) => {
    const session = createSession({ auth: ['user', 'pa55'] });
    equal(
      (await echo(await session(`${server.http}/echo`))).headers.authorization,
      `Basic ${btoa('user:pa55')}`,
    );
    session.auth = { bearer: 'tok-1' };
    equal((await echo(await session(`${server.http}/echo`))).headers.authorization, 'Bearer tok-1');
    let n = 0;
    session.auth = { bearer: () => `tok-${++n + 1}` };
    equal((await echo(await session(`${server.http}/echo`))).headers.authorization, 'Bearer tok-2');
    equal(
      (
        await echo(
          await session(`${server.http}/echo`, { headers: { Authorization: 'Bearer mine' } }),
        )
      ).headers.authorization,
      'Bearer mine',
    );
    session.auth = false;
    equal((await echo(await session(`${server.http}/echo`))).headers.authorization, undefined);
    deepEqual(session.auth, false);
    throws(
      () => {
        session.auth = 42 as never;
      },
      { name: 'TypeError', message: /session\.auth/ },
    );
    await session.close();
  });

  test("cookies: a cookie set by one response is sent with the next (the seed's first example)", async ({
    server,
  }) => {
    const session = createSession();
    const set = await session(
      `${server.http}/set-cookie?c=${encodeURIComponent('session=jaaj; Path=/')}`,
    );
    equal(set.status, 200);
    await set.body?.cancel();
    const back = (await (await session(`${server.http}/cookies`)).json()) as {
      cookies: Record<string, string>;
    };
    deepEqual(back.cookies, { session: 'jaaj' });
    await forget(session, server.http, ['session']);
    await session.close();
  });

  test(
    'cookies: the jar API (set, get, all, delete, clear) drives what is sent',
    async ({ server }) => {
      const session = createSession();
      const host = new URL(server.http).hostname;
      await session.cookies.set('locale', 'fr-FR', { domain: host, path: '/' });
      equal((await session.cookies.get('locale', `${server.http}/`))?.value, 'fr-FR');
      const back = (await (await session(`${server.http}/cookies`)).json()) as {
        cookies: Record<string, string>;
      };
      equal(back.cookies.locale, 'fr-FR');
      deepEqual(
        (await session.cookies.all()).map((c) => `${c.name}=${c.value}`),
        ['locale=fr-FR'],
      );
      await session.cookies.delete('locale', { domain: host });
      equal(await session.cookies.get('locale', `${server.http}/`), undefined);
      await session.cookies.set('a', '1', { domain: host });
      await session.cookies.clear();
      deepEqual(await session.cookies.all(), []);
      await session.close();
    },
    { skip: browserJar },
  );

  test(
    'cookies: JSON round trip of the jar carries cookies to a second session',
    async ({ server }) => {
      const first = createSession();
      const res = await first(
        `${server.http}/set-cookie?c=${encodeURIComponent('keep=me; Path=/; Max-Age=600')}`,
      );
      await res.body?.cancel();
      const saved = JSON.stringify(first.cookies);
      await first.close();
      const second = createSession({ cookies: CookieJar.fromJSON(saved) });
      const back = (await (await second(`${server.http}/cookies`)).json()) as {
        cookies: Record<string, string>;
      };
      equal(back.cookies.keep, 'me');
      await second.close();
    },
    { skip: browserJar },
  );

  test(
    'cookies: false sends no jar cookies and session.cookies says why',
    async ({ server }) => {
      const session = createSession({ cookies: false });
      const res = await session(`${server.http}/set-cookie?c=${encodeURIComponent('x=1; Path=/')}`);
      await res.body?.cancel();
      const back = (await (await session(`${server.http}/cookies`)).json()) as {
        raw: string | null;
      };
      equal(back.raw, null);
      throws(() => session.cookies, { name: 'TypeError', message: /cookies: false/ });
      await session.close();
    },
    {
      skip: {
        chromium: 'the browser keeps cookies for same-origin calls whatever the session does',
      },
    },
  );

  test('retry: defaults retry an idempotent failure (limit 2), never a POST', async ({
    server,
  }) => {
    const session = createSession();
    const id = uid('sess-retry');
    const res = await session(`${server.http}/flaky?id=${id}&fail=1`);
    equal(res.status, 200);
    equal(((await res.json()) as { tries: number }).tries, 2);
    const postId = uid('sess-post');
    const post = await session(`${server.http}/flaky?id=${postId}&fail=1`, {
      method: 'POST',
      body: 'x',
    });
    equal(post.status, 503, 'POST is not retried by default');
    await post.body?.cancel();
    equal(await count(server, postId), 1);
    await session.close();
  });

  test('retry: a number is the limit; false turns retries off; exhausted returns the last response', async ({
    server,
  }) => {
    const off = createSession({ retry: false });
    const id = uid('sess-off');
    const res = await off(`${server.http}/flaky?id=${id}&fail=1`);
    equal(res.status, 503);
    await res.body?.cancel();
    equal(await count(server, id), 1);
    const three = createSession({ retry: { ...fast, limit: 3 } });
    const id3 = uid('sess-three');
    const last = await three(`${server.http}/flaky?id=${id3}&fail=9`);
    equal(last.status, 503);
    await last.body?.cancel();
    equal(await count(server, id3), 4, 'limit 3 = 4 tries');
    await off.close();
    await three.close();
  });

  test('timeout: the total limit covers retries and their waits; a wait past it is not started', async ({
    server,
  }) => {
    const session = createSession({
      timeout: 300,
      retry: { limit: 5, backoff: { initial: 2_000, jitter: false } },
    });
    const id = uid('sess-total');
    const res = await session(`${server.http}/flaky?id=${id}&fail=9`);
    equal(res.status, 503, 'the last response, at once');
    equal(await count(server, id), 1, 'no retry: its wait would outlast the total');
    // A try that outlasts the total still ends the call with a TimeoutError.
    const error = await rejects(session(`${server.http}/slow?ms=3000`), { name: 'TimeoutError' });
    match(String(error.message), /total/);
    await session.close();
  });

  test('timeout: attempt limits each try; when every try times out the call ends in RetryError', async ({
    server,
  }) => {
    const session = createSession({ timeout: { attempt: 300 }, retry: fast });
    const res = await session(`${server.http}/slow?ms=2000`).catch((e: Error) => e);
    ok(res instanceof Error, 'every try of a slow route times out');
    equal((res as Error).name, 'RetryError');
    await session.close();
  });

  test('order of layers: middleware sees the call as made; each try runs hooks, headers, auth and cookies again', async ({
    server,
  }) => {
    const trace: string[] = [];
    const calls: { input: string; authorization: string | null }[] = [];
    const spy: Middleware = (next) =>
      async function spy(input, init) {
        calls.push({
          input: String(input),
          authorization: new Headers(init?.headers).get('authorization'),
        });
        trace.push('middleware>');
        const res = await next(input, init);
        trace.push('<middleware');
        return res;
      };
    const session = createSession({
      baseUrl: `${server.http}/`,
      headers: { 'X-Default': 'd' },
      auth: ['u', 'p'],
      retry: fast,
      middleware: [spy],
      hooks: {
        beforeRequest: ({ attempt }) => void trace.push(`beforeRequest ${attempt}`),
        afterResponse: ({ attempt, response }) =>
          void trace.push(`afterResponse ${attempt} ${response.status}`),
        beforeRetry: ({ attempt, response }) =>
          void trace.push(`beforeRetry ${attempt} ${response?.status}`),
      },
    });
    const id = uid('sess-order');
    const res = await session(`session/retry-cookie?id=${id}&log=${id}`);
    equal(res.status, 200);
    await res.body?.cancel();
    deepEqual(trace, [
      'middleware>',
      'beforeRequest 1',
      'afterResponse 1 503',
      'beforeRetry 1 503',
      'beforeRequest 2',
      'afterResponse 2 200',
      '<middleware',
    ]);
    deepEqual(calls, [{ input: `session/retry-cookie?id=${id}&log=${id}`, authorization: null }]);
    const wire = await seen(server, id);
    equal(wire.length, 2);
    for (const w of wire) {
      equal(w.headers['x-default'], 'd');
      equal(w.headers.authorization, `Basic ${btoa('u:p')}`);
    }
    ok(!(wire[0]!.headers.cookie ?? '').includes('try1=yes'), 'the first try had no try1 cookie');
    match(
      wire[1]!.headers.cookie ?? '',
      /(^|; )try1=yes(;|$)/,
      'the retry carried the cookie the failed try set',
    );
    await session.close();
  });

  test('order of layers: a redirect chain is one try to the hooks, and each hop stores its cookies', async ({
    server,
  }) => {
    const tries: string[] = [];
    const session = createSession({
      hooks: {
        afterResponse: ({ attempt, response }) => void tries.push(`${attempt} ${response.status}`),
      },
    });
    const res = await session(`${server.http}/chain?n=2`);
    equal(res.status, 200);
    equal(res.redirected, true);
    const body = await echo(res);
    match(body.headers.cookie ?? '', /hop2=1/);
    match(body.headers.cookie ?? '', /hop1=1/);
    deepEqual(tries, ['1 200']);
    await forget(session, server.http, ['hop1', 'hop2']);
    await session.close();
  });

  test('an afterResponse hook that reads the body leaves the caller its own (as in ky)', async ({
    server,
  }) => {
    const logged: string[] = [];
    await using session = createSession({
      retry: false,
      hooks: {
        afterResponse: async ({ response }) => {
          if (!response.ok) logged.push(await response.text());
        },
      },
    });
    const id = uid('hook-body');
    const res = await session(`${server.http}/flaky?id=${id}&fail=1&status=404`);
    equal(res.status, 404);
    equal(res.bodyUsed, false);
    equal(await res.text(), 'failure 1');
    deepEqual(logged, ['failure 1']);
    ok(res instanceof Response);
  });

  test('concurrent requests share the jar and a single token refresh', async ({ server }) => {
    let refreshes = 0;
    const session = createSession({
      baseUrl: `${server.http}/`,
      auth: {
        bearer: 'stale',
        refresh: async () => {
          refreshes += 1;
          await new Promise((r) => setTimeout(r, 50));
          return 'fresh';
        },
      },
    });
    const set = await session(`set-cookie?c=${encodeURIComponent('shared=1; Path=/')}`);
    await set.body?.cancel();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => session('session/protected?token=fresh')),
    );
    deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    await Promise.all(results.map((r) => r.body?.cancel()));
    equal(refreshes, 1, 'one refresh for five concurrent 401s');
    const cookieViews = await Promise.all(
      Array.from(
        { length: 3 },
        async () =>
          ((await (await session('cookies')).json()) as { cookies: Record<string, string> }).cookies
            .shared,
      ),
    );
    deepEqual(cookieViews, ['1', '1', '1']);
    await forget(session, server.http, ['shared']);
    await session.close();
  });

  test('mount: the longest prefix wins; a mount shares the jar and the live headers', async ({
    server,
  }) => {
    const session = createSession({ headers: { 'X-Session': 's' }, retry: fast });
    session
      .mount(`${server.http}/echo/`, { headers: { 'X-Mount': 'echo' } })
      .mount(`${server.http}/echo/deep/`, { headers: { 'X-Mount': 'deep' }, auth: ['m', 'p'] })
      .mount(`${server.http}/flaky`, { retry: false });
    equal((await echo(await session(`${server.http}/echo/x`))).headers['x-mount'], 'echo');
    const deep = await echo(await session(`${server.http}/echo/deep/x`));
    equal(deep.headers['x-mount'], 'deep');
    equal(deep.headers['x-session'], 's');
    equal(deep.headers.authorization, `Basic ${btoa('m:p')}`);
    equal((await echo(await session(`${server.http}/echo`))).headers['x-mount'], undefined);
    session.headers.set('X-Session', 'changed');
    equal(
      (await echo(await session(`${server.http}/echo/deep/y`))).headers['x-session'],
      'changed',
    );
    const id = uid('sess-mount');
    const res = await session(`${server.http}/flaky?id=${id}&fail=1`);
    equal(res.status, 503, 'the mount turned retries off');
    await res.body?.cancel();
    const set = await session(
      `${server.http}/set-cookie?c=${encodeURIComponent('m=1; Path=/echo/')}`,
    );
    await set.body?.cancel();
    const back = (await (await session(`${server.http}/echo/deep/cookies-check`)).json()) as Seen;
    match(back.headers.cookie ?? '', /(^|; )m=1(;|$)/, 'a mount uses the session jar');
    await session.close();
  });

  test('mount: its retry and timeout are merged over the session’s, as one call’s are', async ({
    server,
  }) => {
    // The session retries only a 500 and gives each try 300 ms; the mount raises the limit and
    // the total, and keeps the rest.
    await using session = createSession({
      retry: { limit: 1, statusCodes: [500], backoff: { initial: 10, jitter: false } },
      timeout: { attempt: 300 },
    });
    session.mount(`${server.http}/flaky`, { retry: { limit: 3 } });
    session.mount(`${server.http}/slow`, { timeout: 10_000 });
    const id = uid('mount-merge');
    const res = await session(`${server.http}/flaky?id=${id}&fail=5&status=503`);
    equal(res.status, 503, 'a 503 is not retried: the session’s statusCodes stand');
    equal(res.headers.get('x-tries'), '1');
    await res.body?.cancel();
    const retried = await session(
      `${server.http}/flaky?id=${uid('mount-merge')}&fail=2&status=500`,
    );
    equal(retried.status, 200, 'a 500 is retried up to the mount’s limit');
    equal(((await retried.json()) as { tries: number }).tries, 3);
    // The session's attempt limit still holds under the mount's total (each try timed out).
    await rejects(session(`${server.http}/slow?ms=2000`), {
      message: /per-try \(attempt\) timeout \(attempt: 300 ms\)/,
    });
  });

  test('close: later calls reject with SessionClosedError; await using closes too', async ({
    server,
  }) => {
    const session = createSession();
    equal((await session(`${server.http}/echo`)).status, 200);
    await session.close();
    equal(session.closed, true);
    const error = await rejects(session(`${server.http}/echo`), { name: 'SessionClosedError' });
    ok(isSessionClosedError(error));
    match(String(error.message), /session is closed/);
    match(String(error.message), /GET http:\/\/127\.0\.0\.1/);
    await rejects(session.client.get(`${server.http}/echo`), { name: 'SessionClosedError' });
    await session.close(); // idempotent

    let kept: ReturnType<typeof createSession> | undefined;
    {
      await using scoped = createSession();
      kept = scoped;
      equal((await scoped(`${server.http}/echo`)).status, 200);
    }
    equal(kept.closed, true);
    await rejects(kept(`${server.http}/echo`), { name: 'SessionClosedError' });
  });

  test('close: a call waiting to retry then sends nothing more and rejects with SessionClosedError', async ({
    server,
  }) => {
    const id = uid('close-wait');
    let closing: Promise<void> | undefined;
    const session = createSession({
      retry: { limit: 3 },
      // Called before the wait for the first retry (Retry-After: 1 s): close the session then.
      hooks: {
        beforeRetry: () => {
          closing ??= session.close();
        },
      },
    });
    const error = await rejects(session(`${server.http}/flaky?id=${id}&fail=5&retryAfter=1`), {
      name: 'SessionClosedError',
    });
    match(String(error.message), /session is closed/);
    await closing;
    const after = await fetch(`${server.http}/flaky?id=${id}&fail=0`);
    equal(after.headers.get('x-tries'), '2', 'one try before close() (this check is the second)');
  });

  test('client: ky over the session, baseUrl shared, HTTPError on non-2xx, ky retry off', async ({
    server,
  }) => {
    const session = createSession({
      baseUrl: `${server.http}/`,
      headers: { 'X-From': 'session' },
      retry: fast,
    });
    const me = (await session.client.get('echo/me').json()) as Seen;
    equal(me.url, '/echo/me');
    equal(me.headers['x-from'], 'session');
    const error = await rejects(session.client.get('status/404'), { name: 'HTTPError' });
    equal((error as { response: Response }).response.status, 404);
    const id = uid('sess-ky');
    const flaky = (await session.client.get(`flaky?id=${id}&fail=1`).json()) as { tries: number };
    equal(flaky.tries, 2, 'the session retried once; ky did not add its own');
    const posted = (await session.client.post('echo', { json: { a: 1 } }).json()) as Seen;
    equal(posted.body, '{"a":1}');
    await session.close();
  });

  test('lean entry: no session.client (TypeError naming withClient); withClient(session) is the same ky client', async ({
    server,
  }) => {
    const session = createLeanSession({
      baseUrl: `${server.http}/`,
      headers: { 'X-From': 'lean' },
      retry: fast,
    });
    throws(() => session.client, { name: 'TypeError', message: /withClient/ });
    const client = withClient(session);
    equal(withClient(session), client, 'one ky instance per session');
    const me = (await client.get('echo/me').json()) as Seen;
    equal(me.url, '/echo/me');
    equal(me.headers['x-from'], 'lean');
    await rejects(client.get('status/404'), { name: 'HTTPError' });
    const id = uid('lean-ky');
    const flaky = (await client.get(`flaky?id=${id}&fail=1`).json()) as { tries: number };
    equal(flaky.tries, 2, 'the session retried once; ky did not add its own');
    await session.close();
    await rejects(client.get('echo'), { name: 'SessionClosedError' });
    throws(() => withClient((() => {}) as never), { name: 'TypeError' });
    // A session from the default entry: withClient gives its own session.client, not a second ky.
    const full = createSession();
    equal(withClient(full), full.client, 'withClient(session) is session.client');
    await full.close();
  });

  test('drop-in: globalThis.fetch = session serves a library that calls global fetch, without recursion', async ({
    server,
  }) => {
    const original = globalThis.fetch;
    const session = createSession({ headers: { 'X-Dropped-In': 'yes' } });
    let body: Seen;
    try {
      globalThis.fetch = session;
      body = (await ky.get(`${server.http}/echo`, { retry: 0 }).json()) as Seen;
      const direct = await echo(await globalThis.fetch(`${server.http}/echo`));
      equal(direct.headers['x-dropped-in'], 'yes');
    } finally {
      globalThis.fetch = original;
    }
    equal(body.headers['x-dropped-in'], 'yes');
    await session.close();
  });

  test('a Retry-After past the total timeout: the session returns the response at once, as it came', async ({
    server,
  }) => {
    await using session = createSession({ timeout: { total: 2_000 } });
    const id = uid('ra-total');
    const res = await session(`${server.http}/flaky?id=${id}&fail=5&status=503&retryAfter=30`);
    equal(res.status, 503);
    equal(await count(server, id), 1);
  });

  test('session.headers = {...} replaces the default headers (as in requests); a bad value changes nothing', async ({
    server,
  }) => {
    await using session = createSession({ headers: { 'X-Old': '1', Accept: 'text/plain' } });
    const live = session.headers;
    session.headers = { 'X-New': '2', 'X-Unset': undefined };
    equal(session.headers, live, 'the same live Headers object');
    const sent = await echo(await session(`${server.http}/echo`));
    equal(sent.headers['x-new'], '2');
    equal(sent.headers['x-old'], undefined);
    equal(sent.headers['x-unset'], undefined);
    throws(() => {
      session.headers = { 'bad name': 'x' };
    }, /session\.headers/);
    equal(session.headers.get('x-new'), '2', 'a bad assignment leaves them as they were');
  });

  test('drop-in: a session made after globalThis.fetch = session does not go through the first one', async ({
    server,
  }) => {
    const original = globalThis.fetch;
    const first = createSession({
      headers: { 'X-First': 'yes' },
      retry: { limit: 2, backoff: { initial: 10, jitter: false } },
    });
    try {
      globalThis.fetch = first;
      // proxy: false sends with the global fetch: the one the first session was made over.
      await using second = createSession({ proxy: false, retry: false });
      const id = uid('second');
      const res = await second(`${server.http}/flaky?id=${id}&fail=5&status=503`);
      equal(res.status, 503);
      equal(await count(server, id), 1, "one request: not the first session's retries as well");
      const seenBy = await echo(await second(`${server.http}/echo`));
      equal(seenBy.headers['x-first'], undefined, "not the first session's headers");
      await first.close();
      equal(
        (await second(`${server.http}/echo`)).status,
        200,
        'closing the first leaves it working',
      );
    } finally {
      globalThis.fetch = original;
      await first.close();
    }
  });

  test('drop-in: with globalThis.fetch = session, an auth middleware that calls global fetch is sent on, not round the session again', async ({
    server,
  }) => {
    const original = globalThis.fetch;
    let calls = 0;
    const session = createSession({
      headers: { 'X-Dropped-In': 'yes' },
      // Calls global fetch instead of `next`: the session is global fetch by then.
      auth: () => (input, init) => {
        calls++;
        return globalThis.fetch(input, init);
      },
    });
    let body: Seen;
    try {
      globalThis.fetch = session;
      body = await echo(await session(`${server.http}/echo`));
    } finally {
      globalThis.fetch = original;
    }
    equal(calls, 1, 'the middleware ran once: its call did not go round the session again');
    equal(body.headers['x-dropped-in'], 'yes', 'the layers above the middleware applied');
    await session.close();
  });

  test('drop-in: with globalThis.fetch = session, a fetch option that calls global fetch is sent to the global fetch there was, once', async ({
    server,
  }) => {
    const original = globalThis.fetch;
    let fetchCalls = 0;
    let authCalls = 0;
    // Both read global fetch at call time, as a wrapper written before the swap would.
    const yourFetch = (input: string | URL | Request, init?: RequestInit) => {
      fetchCalls++;
      return globalThis.fetch(input, init);
    };
    const plain = createSession({ headers: { 'X-Dropped-In': 'yes' }, fetch: yourFetch });
    const withAuth = createSession({
      headers: { 'X-Dropped-In': 'auth' },
      fetch: yourFetch,
      auth: () => (input, init) => {
        authCalls++;
        return globalThis.fetch(input, init);
      },
    });
    let first: Seen;
    let second: Seen;
    try {
      globalThis.fetch = plain;
      first = await echo(await plain(`${server.http}/echo`));
      equal(fetchCalls, 1, 'your fetch ran once: its call went on to the global fetch there was');
      globalThis.fetch = withAuth;
      second = await echo(await withAuth(`${server.http}/echo`));
    } finally {
      globalThis.fetch = original;
    }
    equal(first.headers['x-dropped-in'], 'yes', 'the session applied its layers');
    equal(authCalls, 1, 'the auth middleware ran once');
    equal(fetchCalls, 2, 'the call from the auth middleware reached your fetch, once');
    equal(second.headers['x-dropped-in'], 'auth');
    await plain.close();
    await withAuth.close();
  });

  test('drop-in: an abort whose reason is null, 0, false or an empty string rejects with exactly that reason', async ({
    server,
  }) => {
    // As the Fetch standard says, and as Node, Deno, Bun and Chromium do (workerd's own fetch
    // rejects with an Error of its own when the abort comes during the call; a session gives
    // the caller's reason there too).
    const session = createSession({ retry: false });
    try {
      for (const reason of [null, 0, false, '']) {
        for (const when of ['before', 'during'] as const) {
          const controller = new AbortController();
          if (when === 'before') controller.abort(reason);
          else setTimeout(() => controller.abort(reason), 50);
          const outcome = await session(`${server.http}/slow?ms=3000`, {
            signal: controller.signal,
          }).then(
            () => 'resolved',
            (e: unknown) =>
              Object.is(e, reason) ? 'the reason itself' : `another error: ${(e as Error)?.name}`,
          );
          equal(outcome, 'the reason itself', `abort(${JSON.stringify(reason)}) ${when} the call`);
        }
      }
    } finally {
      await session.close();
    }
  });

  test("auth: the session's auth replaces a default Authorization header; a call's own still wins", async ({
    server,
  }) => {
    const id = uid('default-authz');
    await using session = createSession({
      headers: { Authorization: 'Bearer from-defaults' },
      auth: { bearer: 'stale', refresh: async () => 'fresh' },
      retry: false,
    });
    // The test server accepts only the token its refresh endpoint issued, or ?token=.
    const res = await session(`${server.http}/auth/bearer?id=${id}&token=fresh`);
    equal(res.status, 200, 'the 401 was answered by refresh, not left to the default header');
    equal(((await res.json()) as { authorization: string }).authorization, 'Bearer fresh');
    const own = await session(`${server.http}/auth/bearer?id=${id}&token=fresh`, {
      headers: { Authorization: 'Bearer mine' },
    });
    equal(own.status, 401, 'the call’s own header is sent as it is, never refreshed');
    await own.body?.cancel();
  });

  test("credentials: 'omit' leaves out the session's auth and a mount's, as fetch then sends no credentials", async ({
    server,
  }) => {
    const session = createSession({ auth: ['user', 'pa55'], retry: false });
    session.mount(`${server.http}/echo/m/`, { auth: { bearer: 'mount-token' } });
    const header = async (path: string, init?: RequestInit) =>
      (await echo(await session(`${server.http}${path}`, init))).headers.authorization;
    try {
      ok((await header('/echo'))?.startsWith('Basic '), 'the session’s auth by default');
      equal(await header('/echo', { credentials: 'omit' }), undefined);
      equal(await header('/echo/m/x'), 'Bearer mount-token');
      equal(await header('/echo/m/x', { credentials: 'omit' }), undefined);
      // A default Authorization or Cookie in `headers` is the session's credential too.
      const defaults = createSession({
        retry: false,
        headers: { Authorization: 'Bearer DEFAULT', Cookie: 'sid=DEFAULT', 'X-Kept': '1' },
      });
      try {
        const seen = (await echo(await defaults(`${server.http}/echo`, { credentials: 'omit' })))
          .headers;
        equal(seen.authorization, undefined, 'no default Authorization');
        equal(seen.cookie, undefined, 'no default Cookie');
        equal(seen['x-kept'], '1', 'the other defaults');
        const own = await echo(
          await defaults(`${server.http}/echo`, {
            credentials: 'omit',
            headers: { Authorization: 'Bearer MINE' },
          }),
        );
        equal(own.headers.authorization, 'Bearer MINE', "the call's own header is its own");
      } finally {
        await defaults.close();
      }
      const request = new Request(`${server.http}/echo`, { credentials: 'omit' });
      // (Bun's and workerd's Request do not keep the mode: such a Request reads 'include'.)
      if (request.credentials === 'omit') {
        equal((await echo(await session(request))).headers.authorization, undefined, 'a Request’s');
      }
    } finally {
      await session.close();
    }
  });

  test(
    "a Request with a body keeps its credentials and cache modes when retry reads its body (credentials: 'omit' sends no token, no cookie)",
    async ({ server }) => {
      // Retry is on (its default), so the body of a PUT Request is read to be sent again.
      const session = createSession({ auth: { bearer: 'the-token' } });
      try {
        await session.cookies.set('sid', 'the-cookie', { domain: '127.0.0.1' });
        const omit = new Request(`${server.http}/echo`, {
          method: 'PUT',
          body: 'x',
          credentials: 'omit',
        });
        const seen = await echo(await session(omit));
        equal(seen.body, 'x');
        equal(seen.headers.authorization, undefined, 'no token');
        equal(seen.headers.cookie, undefined, 'no cookie');
        const request = () =>
          new Request(`${server.http}/echo`, { method: 'PUT', body: 'x', cache: 'no-store' });
        const [native, viaSession] = [
          await echo(await fetch(request())),
          await echo(await session(request())),
        ];
        for (const name of ['cache-control', 'pragma']) {
          equal(viaSession.headers[name], native.headers[name], `${name}, as fetch sends it`);
        }
      } finally {
        await session.close();
      }
    },
    {
      skip: {
        bun: "Bun's Request does not keep its credentials mode (it reads 'include')",
        workerd: "workerd's Request does not keep its credentials mode (it reads 'include')",
        chromium: 'the browser keeps the cookies; the page cannot set or read them',
      },
    },
  );

  test('a call made before close() sends its first try (close() neither drops it nor waits for it); its retry is refused at once', async ({
    server,
  }) => {
    // A new session's first call waits for the session's code: close() comes before it is sent.
    const session = createSession();
    const order: string[] = [];
    const pending = session(`${server.http}/slow?ms=300`).then((res) => {
      order.push('call');
      return res;
    });
    await session.close();
    order.push('close');
    equal((await pending).status, 200, 'sent and answered');
    deepEqual(order, ['close', 'call']);
    // As a Worker hands a call to waitUntil() and returns: the block ends first.
    let background: Promise<Response> | undefined;
    {
      await using worker = createSession();
      background = worker(`${server.http}/echo`);
    }
    equal((await background).status, 200);
    // A retry after close() is refused when it would wait, not after the wait (20 s here).
    const id = uid('close-retry');
    const retried = createSession();
    const first = retried(`${server.http}/flaky?id=${id}&fail=1&retryAfter=20`);
    await retried.close();
    await rejects(first, { name: 'SessionClosedError' });
    equal(await count(server, id), 1, 'one try');
  });

  test(
    'close() does not wait for a body nobody reads: it resolves, and the body still reads in full',
    async ({ server }) => {
      const size = 4_000_000;
      // A hang is what fails here: 20 s is far beyond what either step takes.
      const within = <T>(pending: Promise<T>, what: string) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${what}: still pending after 20 s`)), 20_000);
        });
        return Promise.race([pending, late]).finally(() => clearTimeout(timer));
      };
      // The response is handed out of the block that made the session: the block's end closes
      // the session before anyone reads the body.
      const get = async () => {
        await using session = createSession();
        return await session(`${server.http}/bytes?n=${size}`);
      };
      const res = await within(get(), 'the await using block');
      equal((await res.arrayBuffer()).byteLength, size, 'the whole body, read after close()');
      // A body left unread (an error response thrown away).
      const session = createSession();
      const unread = await session(`${server.http}/bytes?n=${size}`);
      await within(session.close(), 'close()');
      await unread.body?.cancel();
    },
    { timeout: 60_000 },
  );

  test('drop-in: keys other clients put in init pass through and change nothing', async ({
    server,
  }) => {
    const session = createSession({ retry: false });
    const id = uid('sess-init');
    const res = await session(`${server.http}/flaky?id=${id}&fail=1`, {
      retry: 5,
      timeout: 1,
      params: { a: 1 },
      prefixUrl: 'https://elsewhere.invalid/',
    } as RequestInit);
    equal(res.status, 503);
    await res.body?.cancel();
    equal(await count(server, id), 1);
    await session.close();
  });

  test('hooks: the caller’s abort does not wait for a slow hook, with or without a timeout', async ({
    server,
  }) => {
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 3_000));
    for (const timeout of [false, 30_000] as const) {
      for (const [name, hooks, path] of [
        ['beforeRequest', { beforeRequest: slow }, '/echo'],
        ['afterResponse', { afterResponse: slow }, '/echo'],
        ['beforeRetry', { beforeRetry: slow }, `/flaky?id=${uid('hook-abort')}&fail=3`],
      ] as const) {
        await using session = createSession({ timeout, hooks, retry: { limit: 2 } });
        const controller = new AbortController();
        const reason = new Error('caller gave up');
        setTimeout(() => controller.abort(reason), 100);
        const started = Date.now();
        const outcome = await session(`${server.http}${path}`, { signal: controller.signal }).then(
          () => 'resolved',
          (e: unknown) => (e === reason ? 'the caller’s reason' : `another error: ${e}`),
        );
        equal(outcome, 'the caller’s reason', `${name}, timeout: ${timeout}`);
        ok(
          Date.now() - started < 1_200,
          `${name}, timeout: ${timeout}: at once, not after the hook`,
        );
      }
    }
  });

  test('hooks: logger(target) prints method, URL, status, attempt and ms with secrets redacted', async ({
    server,
  }) => {
    const lines: string[] = [];
    const target = {
      info: (s: unknown) => lines.push(String(s)),
      warn: (s: unknown) => lines.push(String(s)),
    };
    const session = createSession({ retry: fast, hooks: [logger(target, { headers: true })] });
    const id = uid('sess-log');
    const res = await session(`${server.http}/flaky?id=${id}&fail=1`, {
      headers: { Authorization: 'Bearer s3cret-token', Cookie: 'sid=s3cret-cookie' },
    });
    await res.body?.cancel();
    const text = lines.join('\n');
    match(
      text,
      new RegExp(
        `GET ${server.http.replace(/[.]/g, '\\.')}/flaky\\?id=${id}&fail=1 → 503 \\(attempt 1, \\d+ ms\\)`,
      ),
    );
    match(text, /→ 200 \(attempt 2, \d+ ms\)/);
    match(text, /retry 1 of GET .* in 10 ms \(status 503\)/);
    match(text, /authorization: Bearer \[redacted\]/);
    ok(!text.includes('s3cret'), 'no secret in the log');
    await session.close();
  });

  test('bad options: a TypeError naming the option and the accepted forms, at creation', () => {
    throws(() => createSession({ retires: 3 } as never), {
      name: 'TypeError',
      message: /"retires".*Did you mean "retry"/,
    });
    throws(() => createSession({ baseUrl: 'api/v1/' }), {
      name: 'TypeError',
      message: /baseUrl.*absolute/,
    });
    throws(() => createSession({ baseUrl: 42 as never }), {
      name: 'TypeError',
      message: /baseUrl/,
    });
    throws(() => createSession({ retry: 'often' as never }), {
      name: 'TypeError',
      message: /retry/,
    });
    throws(() => createSession({ retry: -1 }), { name: 'TypeError', message: /limit/ });
    throws(() => createSession({ timeout: -5 }), { name: 'TypeError', message: /timeout/ });
    throws(() => createSession({ timeout: { totl: 5 } as never }), {
      name: 'TypeError',
      message: /Did you mean "total"/,
    });
    throws(() => createSession({ auth: { token: 'x' } as never }), {
      name: 'TypeError',
      message: /auth.*\[user, pass\]/,
    });
    throws(() => createSession({ auth: ['only-user'] as never }), {
      name: 'TypeError',
      message: /auth/,
    });
    throws(() => createSession({ headers: { 'bad header': 'x' } }), {
      name: 'TypeError',
      message: /headers/,
    });
    throws(() => createSession({ hooks: { beforeReqest() {} } as never }), {
      name: 'TypeError',
      message: /beforeReqest/,
    });
    throws(() => createSession({ middleware: [42] as never }), {
      name: 'TypeError',
      message: /middleware/,
    });
    throws(() => createSession({ cookies: 'yes' as never }), {
      name: 'TypeError',
      message: /cookies/,
    });
    throws(() => createSession('https://x/' as never), {
      name: 'TypeError',
      message: /options must be an object/,
    });
    const session = createSession();
    throws(() => session.mount('api/', {}), {
      name: 'TypeError',
      message: /prefix must be a URL prefix/,
    });
    throws(() => session.mount('https://x/', { retries: 1 } as never), {
      name: 'TypeError',
      message: /Did you mean "retry"/,
    });
    throws(() => createSession({ mount: { 'no-scheme': {} } }), {
      name: 'TypeError',
      message: /prefix/,
    });
  });
});
