// The fault matrix (docs/hardening.md has it as a table): every cell through a full
// session against the project's test server (tinyproxy for proxy refusals), each
// ending in a success or a named error within a bounded time.
import { createSession, type Session } from '@fetchstack/session';
import {
  count,
  equal,
  group,
  ok,
  rejects,
  seen,
  type TestEnv,
  test,
  uid,
} from '@fetchstack/test-kit';
import { within } from './util.js';

type Opts = Parameters<typeof createSession>[0];

/** Fast backoff, no jitter, and no proxy from the environment: the faults come from the server. */
function session(extra: Opts = {}): Session {
  return createSession({
    proxy: false,
    retry: { limit: 2, backoff: { initial: 10, max: 10, jitter: false } },
    timeout: { total: 5_000 },
    ...extra,
  });
}

/** Runs `fn` with a session that is always closed afterwards. */
async function withSession<T>(opts: Opts, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = session(opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** The call must reject within `ms` with an Error that has a name (never a hang, never a string). */
async function namedFailure(what: string, p: Promise<unknown>, ms = 4_000): Promise<Error> {
  const error = await within(ms, what, rejects(p));
  ok(
    error instanceof Error || (typeof error?.name === 'string' && error.name),
    `${what}: rejected with ${String(error)}`,
  );
  ok(error.name !== 'AssertionError', `${what}: resolved instead of failing`);
  return error;
}

const serverOnly = {
  edge: 'needs the session’s tls/proxy options, which exist on server runtimes only',
};
const info = (server: TestEnv['server']) =>
  server as TestEnv['server'] & { wrongHost?: string; expired?: string };

group('hardening', () => {
  test("fault: reset before headers is retried, then fetch's own network error with the attempts", async ({
    server,
    runtime,
  }) => {
    const id = uid('reset');
    await withSession({}, async (s) => {
      const error = await namedFailure('reset', s(`${server.http}/reset?log=${id}`));
      // workerd's own fetch rejects a network failure with a plain Error; the others, a TypeError.
      equal(error.name, runtime === 'workerd' ? 'Error' : 'TypeError');
      equal((error as any).attempts, 3);
    });
    const arrived = (await seen(server, id)).length;
    // The session made 3 tries (attempts above). Chromium, Deno and Bun themselves re-send a
    // request whose reused keep-alive connection was reset (below fetch), so the wire may show
    // more: Bun was seen re-sending one try twice (7 arrivals), so allow each try up to 3 sends.
    if (runtime === 'node') equal(arrived, 3, 'three tries reached the server');
    else ok(arrived >= 3 && arrived <= 9, `${arrived} arrivals`);
  });

  test('fault: reset mid-body rejects the body read (the response had already arrived)', async ({
    server,
  }) => {
    await withSession({}, async (s) => {
      const res = await within(4_000, 'headers', s(`${server.http}/reset?when=mid`));
      equal(res.status, 200);
      await namedFailure('body of a reset response', res.text());
    });
  });

  test('fault: a body shorter than its Content-Length is an error, never a silent short body', async ({
    server,
  }) => {
    await withSession({}, async (s) => {
      const res = await within(4_000, 'headers', s(`${server.http}/short`));
      await namedFailure('short body', res.text());
    });
  });

  test('fault: garbage instead of HTTP rejects with a named error after the retries', async ({
    server,
    runtime,
  }) => {
    const id = uid('garbage');
    await withSession({}, async (s) => {
      const error = await namedFailure('garbage', s(`${server.http}/garbage?log=${id}`));
      equal(error.name, runtime === 'workerd' ? 'Error' : 'TypeError');
      equal((error as any).attempts, 3);
    });
    equal((await seen(server, id)).length, 3);
  });

  test('fault: headers that never finish end in a TimeoutError (attempt limit, retried)', async ({
    server,
  }) => {
    await withSession({ timeout: { total: 3_000, attempt: 200 } }, async (s) => {
      const error = await namedFailure('hang-headers', s(`${server.http}/hang-headers`));
      ok(['TimeoutError', 'RetryError'].includes(error.name), error.name);
      const timeout = error.name === 'RetryError' ? (error as any).cause : error;
      equal(timeout?.name, 'TimeoutError', 'the last try timed out');
    });
  });

  test('fault: a body that stalls ends in a TimeoutError (read limit)', async ({ server }) => {
    await withSession({ timeout: { total: 3_000, read: 200 } }, async (s) => {
      const res = await within(2_000, 'headers', s(`${server.http}/stall?ms=3000`));
      // Read with a reader: Chromium's text() reports any body error as TypeError.
      const reader = res.body!.getReader();
      const drain = async () => {
        for (;;) if ((await reader.read()).done) return;
      };
      const error = await namedFailure('stalled body', drain(), 2_000);
      equal(error.name, 'TimeoutError');
    });
  });

  test('fault: the server dropped the pooled socket: the next GET still succeeds', async ({
    server,
  }) => {
    const id = uid('idle');
    await withSession({}, async (s) => {
      for (let i = 0; i < 3; i++) {
        const res = await within(
          4_000,
          `GET ${i}`,
          s(`${server.http}/hardening/once-per-socket?log=${id}`),
        );
        equal(res.status, 200);
        await res.text();
      }
    });
    const log = await seen(server, id);
    ok(log.length >= 3, `${log.length} requests`);
  });

  test('fault: the server dropped the pooled socket: the session does not re-send a POST unless allowed', async ({
    server,
    runtime,
  }) => {
    const id = uid('idlepost');
    let sessionRetries = 0;
    const hooks = {
      beforeRetry: ({ request }: { request: Request }) => {
        if (request.method === 'POST') sessionRetries++;
      },
    };
    await withSession({ hooks }, async (s) => {
      const warm = await s(`${server.http}/hardening/once-per-socket?log=${id}`);
      await warm.text();
      const post = s(`${server.http}/hardening/once-per-socket?log=${id}`, {
        method: 'POST',
        body: 'once',
      });
      const res = await within(
        4_000,
        'POST',
        post.then(
          (r) => r,
          (e) => e as Error,
        ),
      );
      const posts = (await seen(server, id)).filter((r) => r.method === 'POST');
      equal(sessionRetries, 0, 'the session retried a POST');
      if (res instanceof Response) {
        equal(res.status, 200);
      } else {
        ok(res instanceof Error && res.name, 'a named error');
      }
      // Deno (hyper) and Chromium re-send a request themselves when the reused connection
      // dies under it, POST included: below fetch, out of the session's hands.
      if (runtime === 'deno' || runtime === 'chromium')
        ok(posts.length <= 2, `${posts.length} POSTs`);
      else equal(posts.length, 1, 'the POST reached the server once and was not re-sent');
    });
    const id2 = uid('idlepost2');
    await withSession(
      { retry: { limit: 2, methods: ['GET', 'POST'], backoff: { initial: 10, jitter: false } } },
      async (s) => {
        await (await s(`${server.http}/hardening/once-per-socket?log=${id2}`)).text();
        const res = await within(
          4_000,
          'POST',
          s(`${server.http}/hardening/once-per-socket?log=${id2}`, {
            method: 'POST',
            body: 'again',
          }),
        );
        equal(res.status, 200, 'POST listed in methods: retried on a fresh socket');
        equal(((await res.json()) as { body: string }).body, 'again');
      },
    );
  });

  test('fault: a 5xx storm: the retry budget caps the extra requests', async ({ server }) => {
    const id = uid('storm');
    const calls = 60;
    const budget = { ratio: 0.2, windowMs: 10_000, minPerSecond: 1 };
    await withSession(
      { retry: { limit: 3, backoff: { initial: 1, max: 1, jitter: false }, budget } },
      async (s) => {
        for (let i = 0; i < calls; i += 10) {
          const batch = Array.from({ length: 10 }, () =>
            s(`${server.http}/status/503?log=${id}`).then((r) => r.text()),
          );
          await within(5_000, 'storm batch', Promise.all(batch));
        }
      },
    );
    const sent = (await seen(server, id)).length;
    const extra = sent - calls;
    // Finagle's rule: retries ≤ ratio × first tries + minPerSecond × window seconds.
    const cap = budget.ratio * calls + budget.minPerSecond * (budget.windowMs / 1000);
    ok(extra > 0, 'some retries were made');
    ok(
      extra <= cap,
      `${extra} extra requests for ${calls} calls; the budget allows ${cap} (without it: ${calls * 3})`,
    );
  });

  const retryAfterCells: [string, string, 'retry' | 'no-retry', number | undefined][] = [
    ['huge', '100000', 'no-retry', undefined],
    ['zero', '0', 'retry', 40],
    ['negative', '-5', 'retry', 40],
    ['a date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT', 'retry', 40],
    ['garbage', 'soon, maybe', 'retry', 40],
    ['a fraction', '1.5', 'retry', 40],
    ['small', '1', 'retry', 1_000],
  ];
  for (const [label, value, outcome, wantDelay] of retryAfterCells) {
    test(
      `fault: Retry-After ${label} (${JSON.stringify(value)}) → ${outcome === 'retry' ? `retried after ${wantDelay} ms` : 'returned at once, no wait'}`,
      async ({ server }) => {
        const id = uid('ra');
        const delays: number[] = [];
        await withSession(
          {
            retry: {
              limit: 1,
              backoff: { initial: 40, max: 40, jitter: false },
              retryAfter: { max: 5_000 },
              onRetry: ({ delay }) => {
                delays.push(delay);
              },
            },
          },
          async (s) => {
            const res = await within(
              3_000,
              'call',
              s(`${server.http}/hardening/retry-after?id=${id}&value=${encodeURIComponent(value)}`),
            );
            await res.text();
            equal(res.status, outcome === 'retry' ? 200 : 503);
          },
        );
        equal(await count(server, `retry-after:${id}`), outcome === 'retry' ? 2 : 1, 'tries');
        equal(delays[0], wantDelay, 'the wait before the retry');
      },
      { timeout: 5_000 },
    );
  }

  test('fault: DNS failure (a name under .invalid) rejects with a named error', async () => {
    await withSession(
      { retry: { limit: 1, backoff: { initial: 10, jitter: false } } },
      async (s) => {
        await namedFailure('dns', s('http://fetchstack-hardening.invalid/'), 8_000);
      },
    );
  });

  test(
    'fault: TLS control: the test CA passed as tls.ca makes HTTPS succeed',
    async ({ server }) => {
      await withSession({ tls: { ca: server.ca } }, async (s) => {
        equal((await s(`${server.https}/echo`)).status, 200);
      });
    },
    { skip: serverOnly },
  );

  test(
    'fault: TLS wrong host name, expired certificate, unknown CA, missing client certificate: each a named error',
    async ({ server }) => {
      const { wrongHost, expired } = info(server);
      const cells: [string, string | undefined, Opts][] = [
        ['wrong host', wrongHost, { tls: { ca: server.ca } }],
        ['expired', expired, { tls: { ca: server.ca } }],
        ['unknown CA', server.https, {}],
        ['client certificate required, none sent', server.mtls, { tls: { ca: server.ca } }],
      ];
      for (const [label, url, opts] of cells) {
        ok(url, `${label}: the test server has no listener for it`);
        await withSession({ ...opts, retry: false }, async (s) => {
          await namedFailure(`TLS ${label}`, s(`${url}/echo`));
        });
      }
      await withSession(
        { tls: { ca: server.ca, cert: server.clientCert, key: server.clientKey }, retry: false },
        async (s) => {
          equal(
            (await s(`${server.mtls}/echo`)).status,
            200,
            'with the client certificate, mTLS succeeds',
          );
        },
      );
    },
    { skip: serverOnly, timeout: 20_000 },
  );

  test(
    'fault: proxy down is a named error, fast',
    async ({ server }) => {
      await withSession({ proxy: 'http://127.0.0.1:1', retry: false }, async (s) => {
        await namedFailure('proxy down', s(`${server.http}/echo`));
      });
    },
    { skip: serverOnly },
  );

  test(
    'fault: proxy refusing (407 without credentials, 403 for a port it does not allow)',
    async ({ server }) => {
      ok(server.proxyAuth && server.proxy, 'tinyproxy is not running');
      const noCreds = new URL(server.proxyAuth);
      noCreds.username = '';
      noCreds.password = '';
      await withSession(
        { proxy: noCreds.href, retry: false, tls: { ca: server.ca } },
        async (s) => {
          const viaHttp = await within(
            4_000,
            '407 http',
            s(`${server.http}/echo`).then(
              (r) => r,
              (e) => e as Error,
            ),
          );
          if (viaHttp instanceof Response)
            equal(viaHttp.status, 407, 'plain HTTP through the proxy: its 407');
          else equal(viaHttp.name, 'ProxyError');
          const error = await namedFailure('407 CONNECT', s(`${server.https}/echo`));
          equal(error.name, 'ProxyError');
        },
      );
      // tinyproxy allows CONNECT only to the test server's HTTPS port.
      await withSession(
        { proxy: server.proxy, retry: false, tls: { ca: server.ca } },
        async (s) => {
          const error = await namedFailure('403 CONNECT', s(`${server.mtls}/echo`));
          ok(['ProxyError', 'TypeError'].includes(error.name), `${error.name}: ${error.message}`);
        },
      );
    },
    {
      skip: (env) =>
        env.runtime === 'chromium' || env.runtime === 'workerd'
          ? serverOnly.edge
          : !env.server.proxyAuth && 'tinyproxy is not installed',
    },
  );

  test(
    'fault: a proxy that closes the connection mid-CONNECT is a named error',
    async ({ server }) => {
      // The test server's HTTP listener has no CONNECT handler: Node closes such a socket at once.
      await withSession(
        { proxy: server.http2, retry: false, tls: { ca: server.ca } },
        async (s) => {
          await namedFailure('mid-CONNECT', s(`${server.https}/echo`));
        },
      );
    },
    { skip: serverOnly },
  );

  test(
    'fault: a proxy on an edge runtime is refused when the session is made',
    () => {
      let error: any;
      try {
        createSession({ proxy: 'http://127.0.0.1:3128' });
      } catch (e) {
        error = e;
      }
      equal(error?.name, 'ProxyUnsupportedError');
    },
    { skip: { server: 'servers can use a proxy' } },
  );
});
