// Cases for @fetchstack/retry (portable: no node: imports; they run in every runtime).
import { type Fetch, type Middleware, wrap } from '@fetchstack/core';
import { contextOf } from '@fetchstack/core/internal';
import { isRetryError, RetryBudget, RetryError, type RetryInfo, retry } from '@fetchstack/retry';
import {
  count,
  deepEqual,
  equal,
  group,
  match,
  ok,
  printed,
  rejects,
  type Seen,
  seen,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';
import { timeout } from '@fetchstack/timeout';

/** Quick, exact backoff for cases: 20 ms, 40 ms, ... */
const quick = { initial: 20, factor: 2, max: 1000, jitter: false };

/** A layer beneath retry that records the attempt each try carried (none: a first try). */
function tries(record: number[]): Middleware {
  return (next) =>
    function recordAttempt(input, init) {
      record.push(contextOf(init).attempt ?? 1);
      return next(input, init);
    };
}

/** What the server saw, with the time it saw it. */
type Timed = Seen & { at: number };
const gaps = (list: Timed[]) => list.slice(1).map((s, i) => s.at - list[i]!.at);

/** An HTTP-date `seconds` from now (whole seconds, as the header carries them). */
/**
 * The error fetch rejects with for a network failure: a TypeError, except workerd's own
 * fetch, which rejects with a plain Error. Retries that end on one reject with it as it is.
 */
const networkErrorName = (runtime: string) => (runtime === 'workerd' ? 'Error' : 'TypeError');

const httpDate = (seconds: number) => new Date(Date.now() + seconds * 1000).toUTCString();

group('retry', () => {
  test('fails twice then succeeds: three tries on the server, attempt 1, 2, 3 passed down', async ({
    server,
  }) => {
    const id = uid('flaky');
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ limit: 2, backoff: quick }), tries(attempts));
    const res = await f(`${server.http}/flaky?id=${id}&fail=2&status=503`);
    equal(res.status, 200);
    equal(((await res.json()) as { tries: number }).tries, 3);
    equal(await count(server, id), 3);
    deepEqual(attempts, [1, 2, 3]);
  });

  test('limit: 2 gives at most 3 tries, then resolves with the last response (body readable)', async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ limit: 2, backoff: quick }));
    const res = await f(`${server.http}/flaky?id=${id}&fail=10&status=502`);
    equal(res.status, 502);
    equal(await res.text(), 'failure 3');
    equal(await count(server, id), 3);
  });

  test('throwOnExhausted: RetryError with attempts, response, method and url', async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ limit: 1, backoff: quick, throwOnExhausted: true }));
    const url = `${server.http}/flaky?id=${id}&fail=10&status=500`;
    const error = await rejects(f(url), {
      name: 'RetryError',
      attempts: 2,
      reason: 'limit',
      method: 'GET',
      url,
    });
    ok(error instanceof RetryError && isRetryError(error));
    equal(error.response!.status, 500);
    equal(error.cause, error.response);
    match(error.message, /GET .*flaky.* 2 attempts.*status 500.*limit/);
    equal(await error.response!.text(), 'failure 2', 'the last response is kept, unread');
    ok(!isRetryError(new Error('x')));
  });

  test('onRetry: attempt = the retry about to start, delay in ms, the request and the failed response', async ({
    server,
  }) => {
    const id = uid('flaky');
    const calls: RetryInfo[] = [];
    const f = wrap(
      fetch,
      retry({
        limit: 3,
        backoff: { initial: 30, factor: 2, jitter: false },
        onRetry: (i) => void calls.push(i),
      }),
    );
    const res = await f(`${server.http}/flaky?id=${id}&fail=2&status=503`, {
      headers: { 'x-mine': 'yes' },
    });
    equal(res.status, 200);
    deepEqual(
      calls.map((c) => [c.attempt, c.delay, c.response?.status]),
      [
        [1, 30, 503],
        [2, 60, 503],
      ],
    );
    ok(calls[0]!.request instanceof Request);
    equal(calls[0]!.request.method, 'GET');
    match(calls[0]!.request.url, /\/flaky\?id=/);
    equal(calls[0]!.request.headers.get('x-mine'), 'yes');
    equal(calls[0]!.error, undefined);
  });

  test("a call fetch refuses the same way every time is not retried: mode: 'same-origin' to another origin, only-if-cached", async ({
    server,
  }) => {
    let retries = 0;
    const f = wrap(fetch, retry({ limit: 2, backoff: quick, onRetry: () => void retries++ }));
    // In Chromium the page is on server.http: server.http2 is another origin, and the browser
    // refuses both calls with the "Failed to fetch" of a network failure, sending nothing.
    const calls: [string, string, RequestInit][] = [
      ["mode: 'same-origin' to another origin", `${server.http2}/echo`, { mode: 'same-origin' }],
      [
        "cache: 'only-if-cached', nothing cached",
        `${server.http}/echo?fresh=${uid('oic')}`,
        { cache: 'only-if-cached', mode: 'same-origin' },
      ],
    ];
    const outcome = (p: Promise<Response>) =>
      p.then(
        (res) => `resolved ${res.status}`,
        (e: Error) => `rejected ${e instanceof TypeError ? 'TypeError' : e?.name}`,
      );
    for (const [name, url, init] of calls) {
      retries = 0;
      const native = await outcome(fetch(url, init));
      equal(await outcome(f(url, init)), native, `${name}: settles as fetch does`);
      equal(retries, 0, `${name}: not retried`);
    }
  });

  test("onRetry may read the failed response's body before it is cancelled", async ({ server }) => {
    const bodies: string[] = [];
    const f = wrap(
      fetch,
      retry({
        backoff: quick,
        onRetry: async ({ response }) => void bodies.push(await response!.text()),
      }),
    );
    const res = await f(`${server.http}/flaky?id=${uid('flaky')}&fail=2&status=500`);
    equal(res.status, 200);
    deepEqual(bodies, ['failure 1', 'failure 2']);
  });

  test(
    'a DNS failure is retried like any network error',
    async ({ runtime }) => {
      const attempts: number[] = [];
      const f = wrap(fetch, retry({ limit: 1, backoff: quick }), tries(attempts));
      await rejects(f('http://fetchstack-no-such-host.invalid/'), {
        name: networkErrorName(runtime),
        attempts: 2,
      });
      deepEqual(attempts, [1, 2]);
    },
    { timeout: 20_000 },
  );

  test('statuses not listed (404, 501) are returned at once', async ({ server }) => {
    const f = wrap(fetch, retry({ backoff: quick }));
    for (const status of [404, 501]) {
      const id = uid('flaky');
      const res = await f(`${server.http}/flaky?id=${id}&fail=5&status=${status}`);
      equal(res.status, status);
      equal(await count(server, id), 1, `${status} tried once`);
    }
    const id = uid('flaky');
    const listed = wrap(fetch, retry({ backoff: quick, statusCodes: [404] }));
    equal((await listed(`${server.http}/flaky?id=${id}&fail=1&status=404`)).status, 200);
    equal(await count(server, id), 2, 'a listed status is retried');
  });

  test('POST is not retried unless listed; a listed POST replays its body', async ({ server }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ backoff: quick }));
    const res = await f(`${server.http}/flaky?id=${id}&fail=1`, {
      method: 'POST',
      body: 'payload',
    });
    equal(res.status, 503);
    equal(await count(server, id), 1);

    const id2 = uid('flaky');
    const log = uid('log');
    const g = wrap(fetch, retry({ backoff: quick, methods: ['GET', 'POST'] }));
    const ok2 = await g(`${server.http}/flaky?id=${id2}&fail=1&log=${log}`, {
      method: 'POST',
      body: 'payload',
    });
    equal(ok2.status, 200);
    deepEqual(
      (await seen(server, log)).map((s) => [s.method, s.body]),
      [
        ['POST', 'payload'],
        ['POST', 'payload'],
      ],
    );
  });

  test('every kind of body is replayed on each try: string, bytes, Blob, FormData, URLSearchParams, stream, Request', async ({
    server,
  }) => {
    const f = wrap(fetch, retry({ limit: 2, backoff: quick }));
    const bodies: [string, () => BodyInit, (b: string) => boolean][] = [
      ['string', () => 'plain text', (b) => b === 'plain text'],
      ['bytes', () => new TextEncoder().encode('raw bytes'), (b) => b === 'raw bytes'],
      ['Blob', () => new Blob(['blob body']), (b) => b === 'blob body'],
      [
        'URLSearchParams',
        () => new URLSearchParams({ a: '1', b: 'two' }),
        (b) => b === 'a=1&b=two',
      ],
      [
        'FormData',
        () => {
          const d = new FormData();
          d.append('field', 'value');
          return d;
        },
        (b) => /name="field"\r\n\r\nvalue/.test(b),
      ],
      ['ReadableStream', () => streamOf(['str', 'eam ', 'body']), (b) => b === 'stream body'],
    ];
    for (const [kind, make, check] of bodies) {
      const id = uid('flaky');
      const log = uid('log');
      const res = await f(`${server.http}/flaky?id=${id}&fail=2&log=${log}`, {
        method: 'PUT',
        body: make(),
        duplex: 'half',
      } as RequestInit);
      equal(res.status, 200, kind);
      const got = await seen(server, log);
      equal(got.length, 3, `${kind}: three tries`);
      for (const s of got)
        ok(check(s.body), `${kind}: each try carried the body, got ${JSON.stringify(s.body)}`);
    }
    const id = uid('flaky');
    const log = uid('log');
    const request = new Request(`${server.http}/flaky?id=${id}&fail=1&log=${log}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/x-mine', 'x-from-request': '1' },
      body: streamOf(['request ', 'body']),
      duplex: 'half',
    } as RequestInit);
    equal((await f(request)).status, 200);
    const got = await seen(server, log);
    deepEqual(
      got.map((s) => [s.method, s.body, s.headers['content-type'], s.headers['x-from-request']]),
      [
        ['PUT', 'request body', 'text/x-mine', '1'],
        ['PUT', 'request body', 'text/x-mine', '1'],
      ],
    );
  });

  test(
    'a stream body longer than maxBufferSize is sent once, whole, and not retried; the error says why',
    async ({ server }) => {
      const id = uid('flaky');
      const log = uid('log');
      const reasons: string[] = [];
      const f = wrap(
        fetch,
        retry({
          maxBufferSize: 10,
          throwOnExhausted: true,
          backoff: quick,
          onRetry: () => void reasons.push('retried'),
        }),
      );
      const error = await rejects(
        f(`${server.http}/flaky?id=${id}&fail=1&log=${log}`, {
          method: 'PUT',
          body: streamOf(['0123456789', 'abcdefghij', 'tail']),
          duplex: 'half',
        } as RequestInit),
        { name: 'RetryError', reason: 'body', attempts: 1 },
      );
      match(error.message, /maxBufferSize \(10 bytes\)/);
      equal(error.response.status, 503);
      deepEqual(
        (await seen(server, log)).map((s) => s.body),
        ['0123456789abcdefghijtail'],
      );
      deepEqual(reasons, []);
    },
    {
      skip: {
        chromium:
          'Chromium sends a ReadableStream upload only over HTTP/2; the test server speaks HTTP/1.1',
      },
    },
  );

  test('a Request whose body is longer than maxBufferSize is sent once as fetch sends it: with its Content-Length', async ({
    server,
  }) => {
    const id = uid('flaky');
    const log = uid('log');
    const f = wrap(fetch, retry({ maxBufferSize: 1024, backoff: quick }));
    const body = new TextEncoder().encode('x'.repeat(4096));
    const request = new Request(`${server.http}/flaky?id=${id}&fail=1&log=${log}`, {
      method: 'PUT',
      headers: { 'x-from-request': '1' },
      body,
    });
    const res = await f(request);
    equal(res.status, 503, 'not retried: the body was too long to keep');
    const got = await seen(server, log);
    deepEqual(
      got.map((s) => [
        s.method,
        s.body.length,
        s.headers['content-length'],
        s.headers['transfer-encoding'],
        s.headers['x-from-request'],
      ]),
      [['PUT', 4096, '4096', undefined, '1']],
    );
  });

  test("connection refused is retried, then rejects with the platform's own error, carrying attempts", async ({
    runtime,
  }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ limit: 2, backoff: quick }), tries(attempts));
    // Port 2: nothing listens there, and fetch does not block it.
    const error = await rejects(f('http://127.0.0.1:2/'), {
      name: networkErrorName(runtime),
      attempts: 3,
    });
    deepEqual(attempts, [1, 2, 3]);
    ok(!isRetryError(error), 'not a RetryError: fetch rejects with the platform error');
  });

  test('a reset before the headers is retried; so is a response that is not HTTP', async ({
    server,
    runtime,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ backoff: quick }));
    const res = await f(`${server.http}/flaky?id=${id}&fail=2&mode=reset`);
    equal(res.status, 200);
    equal(await count(server, id), 3);

    const attempts: number[] = [];
    const g = wrap(fetch, retry({ limit: 1, backoff: quick }), tries(attempts));
    await rejects(g(`${server.http}/garbage`), { name: networkErrorName(runtime), attempts: 2 });
    deepEqual(attempts, [1, 2]);
  });

  test('networkErrors: false rethrows the platform error untouched after one try', async ({
    server,
  }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ networkErrors: false, backoff: quick }), tries(attempts));
    const error = await rejects(f(`${server.http}/reset`));
    ok(!isRetryError(error), `not a RetryError: ${error?.name}`);
    deepEqual(attempts, [1]);
  });

  test("the platform's TypeError for a bad request (invalid header value) is never retried", async ({
    server,
  }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ backoff: quick }), tries(attempts));
    await rejects(f(`${server.http}/echo`, { headers: { 'x-bad': 'a\nb' } }), {
      name: 'TypeError',
    });
    deepEqual(attempts, [1]);
  });

  test("once the headers arrived the response is returned: a reset mid-body is the reader's error, not retried", async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ backoff: quick }));
    const res = await f(`${server.http}/flaky?id=${id}&fail=1&mode=reset-mid`);
    equal(res.status, 200);
    await rejects(res.text());
    equal(await count(server, id), 1);
  });

  test("an abort during the backoff wait rejects at once with the caller's reason, and no further try is made", async ({
    server,
  }) => {
    const id = uid('flaky');
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const f = wrap(
      fetch,
      retry({
        backoff: { initial: 5_000, jitter: false },
        onRetry: () => void setTimeout(() => controller.abort(reason), 50),
      }),
    );
    const started = Date.now();
    const error = await rejects(
      f(`${server.http}/flaky?id=${id}&fail=5`, { signal: controller.signal }),
    );
    equal(error, reason, 'exactly the reason passed to abort()');
    ok(Date.now() - started < 4_000, 'did not sit out the 5 s wait');
    equal(await count(server, id), 1);
  });

  test("the caller's abort stops the buffering of a stream body that does not end", async ({
    server,
  }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ backoff: quick }), tries(attempts));
    const controller = new AbortController();
    const reason = new Error('stop buffering');
    let sent = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return new Promise<void>(() => {});
        sent = true;
        c.enqueue(new TextEncoder().encode('start'));
      },
    });
    setTimeout(() => controller.abort(reason), 50);
    const pending = f(`${server.http}/echo`, {
      method: 'PUT',
      body: endless,
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    equal(await rejects(pending), reason);
    deepEqual(attempts, [], 'nothing was sent');
  });

  test("the caller's abort during a try is never retried", async ({ server, runtime }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ backoff: quick }), tries(attempts));
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejects(f(`${server.http}/slow?ms=2000`, { signal: controller.signal }));
    if (runtime === 'workerd')
      equal(error.message, 'stop', 'workerd: its fetch rejects with a copy of the reason');
    else equal(error, reason);
    deepEqual(attempts, [1]);
    await rejects(
      f(`${server.http}/echo`, { signal: AbortSignal.abort('already') }),
      (e) => e === 'already',
    );
  });

  test(
    'Retry-After: seconds and HTTP-date replace the backoff; 0, negative, garbage and a past date fall back to it',
    async ({ server }) => {
      const delays: number[] = [];
      const f = wrap(
        fetch,
        retry({
          limit: 1,
          backoff: { initial: 100, jitter: false },
          onRetry: ({ delay }) => void delays.push(delay),
        }),
      );
      const cases: [string, (d: number) => boolean][] = [
        ['1', (d) => d === 1000],
        [httpDate(2), (d) => d > 0 && d <= 2000],
        ['0', (d) => d === 100],
        ['-5', (d) => d === 100],
        ['soon', (d) => d === 100],
        ['1.5', (d) => d === 100],
        [new Date(Date.now() - 60_000).toUTCString(), (d) => d === 100],
      ];
      for (const [value, check] of cases) {
        delays.length = 0;
        const id = uid('flaky');
        const res = await f(
          `${server.http}/flaky?id=${id}&fail=1&status=503&retryAfter=${encodeURIComponent(value)}`,
        );
        equal(res.status, 200, `Retry-After: ${value} was retried`);
        equal(delays.length, 1);
        ok(check(delays[0]!), `Retry-After: ${value} gave a delay of ${delays[0]} ms`);
      }
    },
    { timeout: 20_000 },
  );

  test('Retry-After is waited for: the gap between tries on the server is at least its value', async ({
    server,
  }) => {
    const id = uid('flaky');
    const log = uid('log');
    const f = wrap(fetch, retry({ limit: 1, backoff: { initial: 10, jitter: false } }));
    equal(
      (await f(`${server.http}/flaky?id=${id}&fail=1&status=429&retryAfter=1&log=${log}`)).status,
      200,
    );
    const [gap] = gaps((await seen(server, log)) as Timed[]);
    ok(gap! >= 800, `gap ${gap} ms >= 0.8 × 1000`);
  });

  test('backoff gaps grow by the factor (no jitter), measured on the server', async ({
    server,
  }) => {
    const id = uid('flaky');
    const log = uid('log');
    const f = wrap(fetch, retry({ limit: 3, backoff: { initial: 150, factor: 2, jitter: false } }));
    equal((await f(`${server.http}/flaky?id=${id}&fail=3&log=${log}`)).status, 200);
    const measured = gaps((await seen(server, log)) as Timed[]);
    equal(measured.length, 3);
    for (const [i, want] of [150, 300, 600].entries()) {
      ok(measured[i]! >= want * 0.8, `gap ${i + 1}: ${measured[i]} ms >= 0.8 × ${want}`);
    }
  });

  test('with jitter the wait stays between half and all of the backoff', async ({ server }) => {
    const delays: number[] = [];
    const f = wrap(
      fetch,
      retry({
        limit: 3,
        backoff: { initial: 40, factor: 2 },
        onRetry: ({ delay }) => void delays.push(delay),
      }),
    );
    await f(`${server.http}/flaky?id=${uid('flaky')}&fail=3`);
    for (const [i, base] of [40, 80, 160].entries()) {
      ok(
        delays[i]! >= base / 2 && delays[i]! <= base,
        `retry ${i + 1}: ${delays[i]} in [${base / 2}, ${base}]`,
      );
    }
  });

  test('Retry-After above retryAfter.max: the response comes back at once (RetryError with throwOnExhausted)', async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ backoff: quick, retryAfter: { max: 5_000 } }));
    const started = Date.now();
    const res = await f(`${server.http}/flaky?id=${id}&fail=1&status=429&retryAfter=3600`);
    equal(res.status, 429);
    equal(res.headers.get('retry-after'), '3600');
    ok(Date.now() - started < 4_000, 'returned without waiting');
    equal(await count(server, id), 1);

    const g = wrap(fetch, retry({ backoff: quick, throwOnExhausted: true }));
    const error = await rejects(
      g(
        `${server.http}/flaky?id=${uid('flaky')}&fail=1&status=503&retryAfter=${encodeURIComponent(httpDate(7200))}`,
      ),
      { name: 'RetryError', reason: 'retry-after', attempts: 1 },
    );
    match(error.message, /retryAfter\.max \(60000 ms\)/);
  });

  test('413, 429 and 503 with Retry-After are retried even when not listed (urllib3); respect: false turns that off', async ({
    server,
  }) => {
    const f = wrap(fetch, retry({ statusCodes: [], backoff: quick }));
    const id = uid('flaky');
    equal((await f(`${server.http}/flaky?id=${id}&fail=1&status=413&retryAfter=0`)).status, 200);
    equal(await count(server, id), 2);
    const id2 = uid('flaky');
    equal(
      (await f(`${server.http}/flaky?id=${id2}&fail=1&status=413`)).status,
      413,
      'no Retry-After: not retried',
    );
    equal(await count(server, id2), 1);

    const delays: number[] = [];
    const g = wrap(
      fetch,
      retry({
        retryAfter: { respect: false },
        backoff: { initial: 50, jitter: false },
        onRetry: ({ delay }) => void delays.push(delay),
      }),
    );
    equal(
      (await g(`${server.http}/flaky?id=${uid('flaky')}&fail=1&status=503&retryAfter=30`)).status,
      200,
    );
    deepEqual(delays, [50], 'respect: false waits the backoff, not 30 s');
  });

  test(
    'the body of a retried response is cancelled, so its connection is freed',
    async ({ server }) => {
      const id = uid('big');
      const f = wrap(fetch, retry({ limit: 3, backoff: quick }));
      const res = await f(`${server.http}/retry/big-fail?id=${id}&fail=3&size=4000000`);
      equal(res.status, 200);
      equal(((await res.json()) as { tries: number }).tries, 4);
    },
    { timeout: 20_000 },
  );

  test('budget: the reserve (minPerSecond × window) caps retries across calls, then failures come back untried', async ({
    server,
  }) => {
    const f = wrap(
      fetch,
      retry({
        limit: 5,
        backoff: quick,
        budget: { ratio: 0, windowMs: 60_000, minPerSecond: 2 / 60 },
      }),
    );
    const a = uid('flaky');
    equal((await f(`${server.http}/flaky?id=${a}&fail=10`)).status, 503);
    equal(await count(server, a), 3, 'two retries from a reserve of two');
    const b = uid('flaky');
    equal((await f(`${server.http}/flaky?id=${b}&fail=10`)).status, 503);
    equal(await count(server, b), 1, 'budget spent: no retry');
    const g = wrap(
      fetch,
      retry({
        limit: 5,
        backoff: quick,
        throwOnExhausted: true,
        budget: { ratio: 0, windowMs: 60_000, minPerSecond: 0 },
      }),
    );
    await rejects(g(`${server.http}/flaky?id=${uid('flaky')}&fail=10`), {
      name: 'RetryError',
      reason: 'budget',
      attempts: 1,
    });
  });

  test('budget: retries may add at most ratio × the first tries of the window', async ({
    server,
  }) => {
    const budget = new RetryBudget({ ratio: 0.5, windowMs: 60_000, minPerSecond: 0 });
    const f = wrap(fetch, retry({ limit: 10, backoff: quick, budget }));
    const a = uid('flaky');
    await f(`${server.http}/flaky?id=${a}&fail=100`);
    equal(await count(server, a), 1, '1 first try allows 0.5 retries: none');
    for (let i = 0; i < 3; i++) equal((await f(`${server.http}/status/200`)).status, 200);
    const b = uid('flaky');
    // A shared budget: a second layer draws on the same one.
    const g = wrap(fetch, retry({ limit: 10, backoff: quick, budget }));
    await g(`${server.http}/flaky?id=${b}&fail=100`);
    equal(await count(server, b), 3, '5 first tries allow 2.5 retries: two');
    equal(budget.available, 0);
  });

  test('an attempt timeout beneath retry is retried for idempotent methods, not for POST', async ({
    server,
  }) => {
    const id = uid('slow');
    // 1 s: generous, as the test server is shared by runtimes running at once.
    const f = wrap(fetch, retry({ backoff: quick }), timeout({ attempt: 1_000 }));
    const res = await f(`${server.http}/retry/slow-first?id=${id}&fail=1&ms=5000`);
    equal(res.status, 200);
    // At least 2: a busy test server (runtimes start at once) may make a fast try slow too.
    const { tries: made } = (await res.json()) as { tries: number };
    ok(made >= 2, `the timed-out try was retried (${made} tries)`);
    const id2 = uid('slow');
    await rejects(
      f(`${server.http}/retry/slow-first?id=${id2}&fail=1&ms=3000`, { method: 'POST', body: 'x' }),
      { name: 'TimeoutError', limit: 'attempt' },
    );
    equal(await count(server, id2), 1);
  });

  test('a total timeout above retry: a wait it cannot cover is not started, the last response comes back', async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(
      fetch,
      timeout({ total: 400 }),
      retry({ limit: 10, backoff: { initial: 5_000 } }),
    );
    const res = await f(`${server.http}/flaky?id=${id}&fail=100`);
    equal(res.status, 503, 'the 503, not a TimeoutError at 400 ms');
    equal(await count(server, id), 1);
    // The timeout still ends a try that outlasts it.
    const g = wrap(fetch, timeout({ total: 400 }), retry({ limit: 10 }));
    await rejects(g(`${server.http}/slow?ms=5000`), {
      name: 'TimeoutError',
      limit: 'total',
    });
  });

  test('a total timeout above retry: a network error whose wait it cannot cover rejects as fetch does, not as a RetryError', async ({
    server,
    runtime,
  }) => {
    const attempts: number[] = [];
    const f = wrap(
      fetch,
      timeout({ total: 5_000 }),
      retry({ limit: 10, backoff: { initial: 60_000 } }),
      tries(attempts),
    );
    const started = Date.now();
    const error = await rejects(f(`${server.http}/reset`), {
      name: networkErrorName(runtime),
      attempts: 1,
    });
    ok(!isRetryError(error), 'the platform error, which clients tell a network failure by');
    ok(Date.now() - started < 4_500, 'at once, not when the total timeout fires');
    deepEqual(attempts, [1]);
  });

  test('a Fetch beneath is called again for each retry (a layer below sees every try)', async ({
    server,
  }) => {
    const urls: string[] = [];
    const bottom: Fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const id = uid('flaky');
    await wrap(bottom, retry({ backoff: quick }))(`${server.http}/flaky?id=${id}&fail=1`);
    equal(urls.length, 2);
  });

  test('per call: fetchstack.retry false on retry() alone: the flaky route is tried once', async ({
    server,
  }) => {
    const id = uid('flaky');
    const f = wrap(fetch, retry({ limit: 3, backoff: quick }));
    const res = await f(`${server.http}/flaky?id=${id}&fail=1`, {
      fetchstack: { retry: false },
    } as RequestInit);
    equal(res.status, 503);
    await res.body?.cancel();
    equal(await count(server, id), 1, 'one try');
    // The same layer still retries a call that does not say.
    const id2 = uid('flaky');
    equal((await f(`${server.http}/flaky?id=${id2}&fail=1`)).status, 200);
    equal(await count(server, id2), 2);
  });

  test('per call: a number is the limit, options merge over the layer’s own; retry(false) retries only calls that ask', async ({
    server,
  }) => {
    const attempts: number[] = [];
    const f = wrap(fetch, retry({ limit: 0, backoff: quick }), tries(attempts));
    const id = uid('flaky');
    const res = await f(`${server.http}/flaky?id=${id}&fail=2`, {
      fetchstack: { retry: 2 },
    } as RequestInit);
    equal(res.status, 200, 'the layer’s quick backoff kept, its limit replaced');
    deepEqual(attempts, [1, 2, 3]);

    const options = { methods: ['POST'], limit: 1 };
    for (const n of [1, 2]) {
      // The same options object twice: the second call reuses the policy built for the first.
      const post = uid('flaky');
      const res = await f(`${server.http}/flaky?id=${post}&fail=1`, {
        method: 'POST',
        body: `body-${n}`,
        fetchstack: { retry: options },
      } as RequestInit);
      deepEqual(
        [res.status, ((await res.json()) as { body: string }).body],
        [200, `body-${n}`],
        'a listed POST replays its body',
      );
    }

    const off = wrap(fetch, retry(false));
    const quiet = uid('flaky');
    equal((await off(`${server.http}/flaky?id=${quiet}&fail=1`)).status, 503);
    equal(await count(server, quiet), 1, 'retry(false): no retry by default');
    const asked = uid('flaky');
    const res2 = await off(`${server.http}/flaky?id=${asked}&fail=1`, {
      fetchstack: { retry: { limit: 1, backoff: quick } },
    } as RequestInit);
    equal(res2.status, 200);
    equal(await count(server, asked), 2);
  });

  test('per call: a bad fetchstack.retry rejects with a TypeError naming the key, before any request', async ({
    server,
  }) => {
    const id = uid('bad');
    const f = wrap(fetch, retry());
    const bad: [unknown, RegExp][] = [
      [{ limit: -1 }, /"fetchstack\.retry\.limit"/],
      [{ backoff: { factor: 0 } }, /"fetchstack\.retry\.backoff\.factor"/],
      [{ limt: 3 }, /"fetchstack\.retry": unknown option "limt"\. Did you mean "limit"\?/],
      [-2, /"fetchstack\.retry\.limit"/],
      ['twice', /"fetchstack\.retry" must be a number/],
    ];
    for (const [value, message] of bad) {
      await rejects(
        f(`${server.http}/echo?log=${id}`, { fetchstack: { retry: value } } as RequestInit),
        { name: 'TypeError', message },
      );
    }
    equal(await count(server, id), 0, 'nothing was sent');
  });

  test('bad options throw a TypeError naming the option when the wrapper is made', () => {
    const bad: [unknown, RegExp][] = [
      [{ limit: -1 }, /"limit"/],
      [{ limit: 1.5 }, /"limit"/],
      [{ backoff: { factor: 0.5 } }, /backoff\.factor/],
      [{ backoff: { initial: 1000, max: 10 } }, /backoff\.max/],
      [{ backoff: { initial: -1 } }, /backoff\.initial/],
      [{ methods: ['FETCH'] }, /"methods"/],
      [{ methods: 'GET' }, /"methods"/],
      [{ statusCodes: [600] }, /"statusCodes"/],
      [{ statusCodes: [99] }, /"statusCodes"/],
      [{ statusCodes: [500.5] }, /"statusCodes"/],
      [{ retries: 3 }, /unknown option "retries"/],
      [{ retryAfter: { max: -1 } }, /retryAfter\.max/],
      // A timer fires at once past 2^31-1 ms: such a wait would retry at once.
      [{ retryAfter: { max: 2 ** 31 } }, /"retryAfter\.max" must be at most 2147483647 ms/],
      [{ backoff: { initial: 2 ** 31 } }, /"backoff\.initial" must be at most 2147483647 ms/],
      [{ onRetry: 'log' }, /"onRetry"/],
      [{ budget: { ratio: -1 } }, /"ratio"/],
      [{ maxBufferSize: -5 }, /"maxBufferSize"/],
      ['three', /options must be an object/],
    ];
    for (const [options, message] of bad)
      throws(() => retry(options as any), { name: 'TypeError', message });
    equal(typeof retry(), 'function');
    equal(typeof retry(3), 'function');
  });

  test('a Retry-After longer than the total timeout has left: the response now, not a timeout later', async ({
    server,
  }) => {
    const session = wrap(fetch, timeout({ total: 2_000 }), retry());
    const id = uid('ra-total');
    const url = `${server.http}/flaky?id=${id}&fail=5&status=503&retryAfter=30`;
    const res = await session(url);
    equal(res.status, 503, 'the 503, not a TimeoutError after 2 s');
    equal(res.headers.get('retry-after'), '30');
    equal(await count(server, id), 1);
    const thrown = await rejects(
      session(url, { fetchstack: { retry: { throwOnExhausted: true } } } as RequestInit),
      (e) => (e as { reason?: string }).reason === 'timeout',
    );
    match((thrown as Error).message, /would end after the total timeout/);
  });

  test(
    "a RetryError printed whole shows the response's status, not its cookies or the URL's token",
    async ({ server }) => {
      const f = wrap(fetch, retry({ limit: 1, backoff: quick, throwOnExhausted: true }));
      // The server answers 503 with `Set-Cookie: hop1=1; Path=/`.
      const error = await rejects(f(`${server.http}/chain?n=1&status=503&api_key=k3y-v4lue`), {
        name: 'RetryError',
        attempts: 2,
      });
      const text = printed(error);
      if (text === undefined) throw new Error('this runtime prints no object as text');
      match(text, /status:? 503/, 'the status is still shown');
      ok(!/hop1=1|k3y-v4lue/.test(text), `printed: ${text}`);
      equal(
        error.response.headers.get('set-cookie'),
        'hop1=1; Path=/',
        'the response is unchanged',
      );
    },
    {
      skip: {
        chromium:
          "a browser's console shows an error as an object to unfold; nothing prints it as text",
        workerd: 'this Workers build has no node:util to print an object as text with',
      },
    },
  );
});

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      const part = parts.shift();
      if (part === undefined) controller.close();
      else controller.enqueue(encoder.encode(part));
    },
  });
}
