// Cases for @fetchstack/timeout (portable: no node: imports; they run in every runtime).
import { compose, wrap } from '@fetchstack/core';
import { retry } from '@fetchstack/retry';
import { createSession } from '@fetchstack/session';
import {
  count,
  deepEqual,
  equal,
  group,
  match,
  ok,
  rejects,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';
import { isTimeoutError, splitTimeout, TimeoutError, timeout } from '@fetchstack/timeout';

const bodyMethods = ['text', 'json', 'arrayBuffer', 'blob'] as const;

/**
 * What the platform's own fetch rejects a body method with when the caller aborts while it
 * reads: the reason itself, or (Chromium 150, workerd) an error of its own. Learnt with the same
 * steps as the clients are measured with.
 */
async function platformAbortWhileReading(http: string): Promise<'reason' | string> {
  const controller = new AbortController();
  const reason = new Error('platform');
  const res = await fetch(`${http}/stall?ms=3000`, { signal: controller.signal });
  const reading = res.text();
  setTimeout(() => controller.abort(reason), 50);
  const error = (await rejects(reading)) as { name?: string } | undefined;
  return error === reason ? 'reason' : String(error?.name);
}

/** Garbage enough for several collections of the young generation (tens of MB). */
function churn(): void {
  let garbage: { i: number }[] | undefined = [];
  for (let i = 0; i < 1_000_000; i++) garbage.push({ i });
  garbage = undefined;
}

/**
 * Aborts each call while a body method reads its body, after garbage collections: each must
 * reject with the reason itself, or, with `sameAs`, as the platform's own fetch does (the reason,
 * or an error of the same name). The collections are the point: a body must still hear the
 * caller's abort when nothing but its reader is left of the response it came from.
 */
async function abortWhileReading(
  http: string,
  clients: [string, (url: string, init: RequestInit) => Promise<Response>][],
  sameAs?: 'reason' | string,
): Promise<void> {
  for (const [name, f] of clients) {
    for (const method of bodyMethods) {
      const controller = new AbortController();
      const reason = new Error(`${name} ${method}`);
      const res = await f(`${http}/stall?ms=3000`, { signal: controller.signal });
      ok(res instanceof Response);
      const reading = res[method]();
      setTimeout(() => {
        churn();
        controller.abort(reason);
      }, 50);
      const error = (await rejects(reading)) as { name?: string } | undefined;
      if (sameAs === undefined || sameAs === 'reason') {
        equal(error, reason, `${name}, ${method}(): got ${String(error)}`);
      } else if (error !== reason) {
        equal(error?.name, sameAs, `${name}, ${method}(): as fetch's own, got ${String(error)}`);
      }
    }
  }
}

group('timeout', () => {
  test('timeout(ms) rejects a slow response with TimeoutError naming the total limit, its value and the call', async ({
    server,
  }) => {
    const f = wrap(fetch, timeout(200));
    const url = `${server.http}/slow?ms=6000`;
    const started = Date.now();
    const error = await rejects(f(url), {
      name: 'TimeoutError',
      limit: 'total',
      ms: 200,
      method: 'GET',
      url,
    });
    ok(Date.now() - started < 5_000, 'did not wait for the server');
    ok(error instanceof TimeoutError && isTimeoutError(error));
    match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/slow\?ms=6000 timed out.*total: 200 ms/);
    ok(!isTimeoutError(new Error('x')));
  });

  test('a response in time passes through: status, headers, url and a body that still streams', async ({
    server,
  }) => {
    const f = wrap(fetch, timeout({ total: 5_000, attempt: 5_000, read: 5_000 }));
    const res = await f(`${server.http}/drip?chunks=4&interval=30`);
    equal(res.status, 200);
    equal(res.headers.get('content-type'), 'text/plain');
    equal(res.url, `${server.http}/drip?chunks=4&interval=30`);
    ok(res instanceof Response);
    const reader = res.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    equal(chunks.join(''), 'chunk0;chunk1;chunk2;chunk3;');
    ok(chunks.length >= 2, `arrived in pieces (${chunks.length}), not buffered`);
  });

  test('attempt alone is reported as the attempt limit', async ({ server }) => {
    const f = wrap(fetch, timeout({ attempt: 150 }));
    await rejects(f(`${server.http}/slow?ms=3000`), {
      name: 'TimeoutError',
      limit: 'attempt',
      ms: 150,
    });
    const g = wrap(fetch, timeout({ attempt: 150, total: 100 }));
    await rejects(
      g(`${server.http}/slow?ms=3000`),
      { name: 'TimeoutError', limit: 'total', ms: 100 },
      'the smaller limit fires',
    );
  });

  test('read: a body silent longer than the limit errors with the read TimeoutError', async ({
    server,
  }) => {
    const f = wrap(fetch, timeout({ read: 200 }));
    const res = await f(`${server.http}/stall?ms=6000`);
    equal(res.status, 200, 'headers came at once');
    ok(res instanceof Response);
    const started = Date.now();
    const error = await rejects(res.text());
    ok(Date.now() - started < 5_000, 'did not wait for the stall to end');
    // Chromium's own text() reports any error of a JavaScript body stream as TypeError
    // 'Failed to fetch': the caller must still get the TimeoutError.
    equal(error?.name, 'TimeoutError', String(error));
    equal(error.limit, 'read');
  });

  test('read, in a session: text(), json(), arrayBuffer() and blob() reject with the read TimeoutError', async ({
    server,
  }) => {
    await using session = createSession({ retry: false, timeout: { read: 200 } });
    for (const method of bodyMethods) {
      const res = await session(`${server.http}/stall?ms=6000`);
      ok(res instanceof Response);
      const error = await rejects(res[method]());
      equal(error?.name, 'TimeoutError', `${method}(): ${String(error)}`);
      equal(error.limit, 'read', method);
    }
  });

  test("the caller's abort while text(), json(), arrayBuffer() or blob() reads the body rejects with exactly the signal's reason (timeout() and a session), also after garbage collections and where the platform's fetch gives an error of its own", async ({
    server,
  }) => {
    await using session = createSession();
    await abortWhileReading(server.http, [
      ['timeout()', wrap(fetch, timeout({ total: 5_000 }))],
      ['session', session],
    ]);
  });

  test("the caller's abort while a body method reads the body, in a session with timeout: false: as the platform's own fetch rejects, also after garbage collections", async ({
    server,
  }) => {
    // No layer of the session stands between the caller's signal and the body then: it
    // rejects as the platform's own fetch does (Chromium 150 and workerd: an error of
    // their own, not the reason).
    await using bare = createSession({ retry: false, timeout: false });
    const platform = await platformAbortWhileReading(server.http);
    await abortWhileReading(server.http, [['session, timeout: false', bare]], platform);
  });

  test(
    'read: the clock restarts on every chunk, and waiting for headers is not counted',
    async ({ server }) => {
      // Gaps of 100 ms against a 1.5 s limit: a margin of 15x for a busy machine (several
      // runtimes run at once), while the whole body (3 s) is twice the limit.
      const f = wrap(fetch, timeout({ read: 1_500 }));
      const res = await f(`${server.http}/drip?chunks=30&interval=100`);
      equal(
        await res.text(),
        Array.from({ length: 30 }, (_, i) => `chunk${i};`).join(''),
        'a 3 s body with 100 ms gaps passes',
      );
      const slow = await f(`${server.http}/slow?ms=2500`);
      deepEqual(await slow.json(), { slow: true });
    },
    { timeout: 15_000 },
  );

  test('read: the error reaches a reader of the stream, and getReader users see it too', async ({
    server,
  }) => {
    const f = wrap(fetch, timeout({ read: 150 }));
    const res = await f(`${server.http}/stall?ms=3000`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    equal(new TextDecoder().decode(first.value), 'first');
    await rejects(reader.read(), { name: 'TimeoutError', limit: 'read' });
  });

  test("the caller's abort keeps the caller's reason (exactly), before and after the headers", async ({
    server,
  }) => {
    const f = wrap(fetch, timeout({ total: 5_000, read: 5_000 }));
    const reason = new Error('caller gave up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    equal(await rejects(f(`${server.http}/slow?ms=3000`, { signal: controller.signal })), reason);
    equal(
      await rejects(f(`${server.http}/echo`, { signal: AbortSignal.abort('already') })),
      'already',
    );

    const c2 = new AbortController();
    const res = await f(`${server.http}/stall?ms=3000`, { signal: c2.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const midBody = new Error('mid-body');
    setTimeout(() => c2.abort(midBody), 50);
    equal(await rejects(reader.read()), midBody, 'a reader of the body gets the reason too');
  });

  test("a Request input's signal is honoured", async ({ server }) => {
    const f = wrap(fetch, timeout(5_000));
    const controller = new AbortController();
    const pending = f(new Request(`${server.http}/slow?ms=3000`, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await rejects(pending, { name: 'AbortError' });
  });

  test(
    'a wrapped response keeps its Set-Cookie headers and redirect facts',
    async ({ server }) => {
      const f = wrap(fetch, timeout({ read: 5_000 }));
      const res = await f(
        `${server.http}/set-cookie?c=${encodeURIComponent('a=1; Path=/')}&c=b%3D2`,
      );
      deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2']);
      const redirected = await f(`${server.http}/redirect?status=302&to=/echo`);
      equal(redirected.redirected, true);
      equal(redirected.url, `${server.http}/echo`);
      equal(redirected.status, 200);
    },
    { skip: { chromium: 'browsers hide Set-Cookie from scripts' } },
  );

  test(
    'splitTimeout: total outside retry covers the waits, attempt inside gives each try its own clock',
    async ({ server }) => {
      // Limits of a second and more: the test server is shared by runtimes running at once.
      const { outer, inner } = splitTimeout({ total: 8_000, attempt: 1_000 });
      const id = uid('slow');
      const f = wrap(fetch, outer, retry({ backoff: { initial: 20, jitter: false } }), inner);
      const res = await f(`${server.http}/retry/slow-first?id=${id}&fail=2&ms=6000`);
      // At least 3: a busy test server (runtimes start at once) may make a fast try slow too.
      const { tries } = (await res.json()) as { tries: number };
      ok(tries >= 3, `two tries timed out, a later one answered (${tries} tries)`);

      const short = splitTimeout({ total: 1_500, attempt: 1_000 });
      const id2 = uid('slow');
      const g = wrap(
        fetch,
        short.outer,
        retry({ limit: 10, backoff: { initial: 20, jitter: false } }),
        short.inner,
      );
      await rejects(g(`${server.http}/retry/slow-first?id=${id2}&fail=10&ms=6000`), {
        name: 'TimeoutError',
        limit: 'total',
        ms: 1_500,
      });
      ok((await count(server, id2)) <= 2, 'the total ended the retries');
      equal(typeof compose(splitTimeout(1000).outer, splitTimeout(1000).inner), 'function');
    },
    { timeout: 15_000 },
  );

  test('per call: fetchstack.timeout on timeout() alone: a number is the total for that call; false turns it off', async ({
    server,
  }) => {
    const f = wrap(fetch, timeout(20_000));
    const error = await rejects(
      f(`${server.http}/slow?ms=5000`, { fetchstack: { timeout: 100 } } as RequestInit),
      { name: 'TimeoutError', limit: 'total', ms: 100 },
    );
    ok(isTimeoutError(error));
    const short = wrap(fetch, timeout(100));
    const res = await short(`${server.http}/slow?ms=400`, {
      fetchstack: { timeout: false },
    } as RequestInit);
    equal(res.status, 200, 'no limit for this call');
    await res.body?.cancel();
  });

  test(
    'per call: splitTimeout halves each enforce their part of fetchstack.timeout, even when made with false',
    async ({ server }) => {
      const { outer, inner } = splitTimeout(false);
      const f = wrap(fetch, outer, retry({ backoff: { initial: 20, jitter: false } }), inner);
      const id = uid('slow');
      const res = await f(`${server.http}/retry/slow-first?id=${id}&fail=1&ms=6000`, {
        fetchstack: { timeout: { attempt: 1_000, total: 10_000 } },
      } as RequestInit);
      ok(((await res.json()) as { tries: number }).tries >= 2, 'the slow try was cut by attempt');
      await rejects(
        f(`${server.http}/slow?ms=5000`, { fetchstack: { timeout: 300 } } as RequestInit),
        { name: 'TimeoutError', limit: 'total', ms: 300 },
      );
      // Merged over the layer's own limits: the call's attempt, the layer's total.
      const layered = splitTimeout({ total: 3_000 });
      const g = wrap(fetch, layered.outer, layered.inner);
      await rejects(
        g(`${server.http}/slow?ms=5000`, {
          fetchstack: { timeout: { attempt: 200 } },
        } as RequestInit),
        { name: 'TimeoutError', limit: 'attempt', ms: 200 },
      );
    },
    { timeout: 15_000 },
  );

  test('per call: a bad fetchstack.timeout rejects with a TypeError naming the key, before any request', async ({
    server,
  }) => {
    const id = uid('bad');
    const f = wrap(fetch, timeout(5_000));
    const bad: [unknown, RegExp][] = [
      [{ total: -1 }, /"fetchstack\.timeout\.total"/],
      [0, /"fetchstack\.timeout" must be a positive number/],
      [{ totl: 100 }, /"fetchstack\.timeout": unknown option "totl"/],
      [{ connect: 100 }, /"fetchstack\.timeout\.connect".*transport/],
      ['soon', /"fetchstack\.timeout" must be a number of ms/],
    ];
    for (const [value, message] of bad) {
      await rejects(
        f(`${server.http}/echo?log=${id}`, { fetchstack: { timeout: value } } as RequestInit),
        { name: 'TypeError', message },
      );
    }
    equal(await count(server, id), 0, 'nothing was sent');
  });

  test('bad limits throw a TypeError naming the option when the wrapper is made', () => {
    const bad: [unknown, RegExp][] = [
      [0, /the timeout/],
      [-1, /the timeout/],
      [Number.NaN, /the timeout/],
      [Number.POSITIVE_INFINITY, /the timeout/],
      ['1000', /options must be an object|pass a number/],
      [undefined, /pass a number/],
      [{ total: 0 }, /"total"/],
      [{ attempt: -5 }, /"attempt"/],
      [{ read: '10' }, /"read"/],
      [{ totl: 1000 }, /unknown option "totl".*Did you mean "total"/],
      [{ connect: 1000 }, /"connect".*transport/],
      [2 ** 31, /at most/],
    ];
    for (const [limits, message] of bad)
      throws(() => timeout(limits as any), { name: 'TypeError', message });
    throws(() => splitTimeout({ total: -1 }), { name: 'TypeError', message: /"total"/ });
  });
});
