// Cases for @fetchstack/redirect (portable: no node: imports; they run in every runtime).
import { type Fetch, type Middleware, wrap } from '@fetchstack/core';
import { type CallContext, contextOf } from '@fetchstack/core/internal';
import { createTransport } from '@fetchstack/proxy';
import { isRedirectError, RedirectError, redirect } from '@fetchstack/redirect';
import {
  deepEqual,
  equal,
  group,
  ok,
  rejects,
  type Seen,
  type ServerInfo,
  seen,
  type TestEnv,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';

const browserFollows =
  'the browser follows redirects itself; the layer passes through (see the chromium case)';
const noHttpbin = ({ server }: TestEnv) =>
  server.httpbin
    ? false
    : 'Debian httpbin is not installed (apt-get install python3-httpbin python3-gunicorn)';

const echo = async (res: Response): Promise<Seen> => (await res.json()) as Seen;

/** A layer that records the init (and its context) of every call it sees. */
function spy(
  calls: { url: string; init: RequestInit | undefined; ctx: Readonly<CallContext> }[],
): Middleware {
  return (next) =>
    function spying(input, init) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      calls.push({ url, init, ctx: contextOf(init) });
      return next(input, init);
    };
}

/**
 * A fetch that trusts the test CA: Deno (an HTTP client) and Bun (`tls.ca`) natively,
 * Node through @fetchstack/proxy's transport (`tls.ca`, no proxy). Undefined where it cannot.
 */
function tlsFetch(env: TestEnv): { fetch: Fetch; close(): Promise<void> } | undefined {
  const g = globalThis as any;
  const none = async () => {};
  if (env.runtime === 'deno') {
    const client = g.Deno.createHttpClient({ caCerts: [env.server.ca] });
    return {
      fetch: (input, init) => fetch(input, { ...init, client } as RequestInit),
      close: async () => client.close(),
    };
  }
  if (env.runtime === 'bun') {
    return {
      fetch: (input, init) => fetch(input, { ...init, tls: { ca: env.server.ca } } as RequestInit),
      close: none,
    };
  }
  if (env.runtime === 'node') {
    const transport = createTransport({ proxy: false, tls: { ca: env.server.ca } });
    return { fetch: transport.fetch, close: () => transport.close() };
  }
  return undefined;
}
const noTlsTrust = (env: TestEnv) =>
  env.runtime === 'chromium'
    ? browserFollows
    : env.runtime === 'workerd'
      ? 'workerd cannot be given the test CA (no TLS options on its fetch): the other-scheme cells run in Node, Deno and Bun'
      : false;

type Target = 'otherHost' | 'otherPort' | 'otherScheme' | 'sameOrigin';
function targetBase(server: ServerInfo, target: Target): string {
  if (target === 'otherHost') return server.httpLocalhost;
  if (target === 'otherPort') return server.http2;
  if (target === 'otherScheme') return server.https;
  return server.http;
}

const sensitive = {
  Authorization: 'Bearer s3cret',
  Cookie: 'sid=caller',
  'Proxy-Authorization': 'Basic dXNlcjpwYXNz',
  'X-Custom': 'kept',
  'Content-Type': 'text/plain',
};

group('redirect', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    for (const target of ['otherHost', 'otherPort', 'otherScheme', 'sameOrigin'] as Target[]) {
      const keepsBody = status === 307 || status === 308;
      const cross = target !== 'sameOrigin';
      test(
        `${status} to ${target}: ${cross ? 'Authorization, Cookie, Proxy-Authorization removed' : 'credentials kept'}; ${keepsBody ? 'POST and body kept' : 'POST becomes GET without body'} (string, URL, Request)`,
        async (env) => {
          const { server } = env;
          const tls = target === 'otherScheme' ? tlsFetch(env) : undefined;
          const f = wrap(tls?.fetch ?? fetch, redirect());
          try {
            const inputs = ['string', 'URL', 'Request'] as const;
            for (const kind of inputs) {
              const id = uid(`redir-${status}-${target}-${kind}`);
              const to = `${targetBase(server, target)}/echo/landed?log=${id}`;
              // The first hop is always plain HTTP; the https cell starts on the test server's TLS port
              // and lands on plain HTTP (a scheme change and a downgrade).
              const startBase = target === 'otherScheme' ? server.https : server.http;
              const landing =
                target === 'otherScheme' ? `${server.http}/echo/landed?log=${id}` : to;
              const from = `${startBase}/redirect?status=${status}&log=${id}&to=${encodeURIComponent(landing)}`;
              let res: Response;
              const signal = AbortSignal.timeout(15_000); // a stuck hop fails with its input kind named
              const call =
                kind === 'string'
                  ? f(from, { method: 'POST', headers: sensitive, body: 'payload', signal })
                  : kind === 'URL'
                    ? f(new URL(from), {
                        method: 'POST',
                        headers: new Headers(sensitive),
                        body: 'payload',
                        signal,
                      })
                    : f(
                        new Request(from, {
                          method: 'POST',
                          headers: sensitive,
                          body: 'payload',
                          signal,
                        }),
                      );
              try {
                res = await call;
              } catch (error) {
                throw new Error(
                  `${kind} input: ${(error as Error).message}; the server saw ${JSON.stringify((await seen(server, id)).map((r) => `${r.method} ${r.listener} ${r.url}`))}`,
                  { cause: error },
                );
              }
              equal(res.status, 200, `${kind}: final status`);
              equal(res.redirected, true, `${kind}: redirected`);
              equal(res.url, landing, `${kind}: final url`);
              const records = await seen(server, id);
              equal(records.length, 2, `${kind}: the test server saw both hops`);
              const [first, second] = records as [Seen, Seen];
              equal(
                first.headers.authorization,
                'Bearer s3cret',
                `${kind}: first hop had Authorization`,
              );
              equal(first.body, 'payload', `${kind}: first hop had the body`);
              const exactlyCross = cross;
              equal(
                second.headers.authorization,
                exactlyCross ? undefined : 'Bearer s3cret',
                `${kind}: Authorization on the hop`,
              );
              equal(
                second.headers.cookie,
                exactlyCross ? undefined : 'sid=caller',
                `${kind}: Cookie on the hop`,
              );
              equal(
                second.headers['proxy-authorization'],
                exactlyCross ? undefined : 'Basic dXNlcjpwYXNz',
                `${kind}: Proxy-Authorization on the hop`,
              );
              equal(second.headers['x-custom'], 'kept', `${kind}: other headers kept`);
              equal(second.method, keepsBody ? 'POST' : 'GET', `${kind}: method on the hop`);
              equal(second.body, keepsBody ? 'payload' : '', `${kind}: body on the hop`);
              equal(
                second.headers['content-type'],
                keepsBody ? 'text/plain' : undefined,
                `${kind}: Content-Type on the hop`,
              );
              await res.text();
            }
          } finally {
            await tls?.close();
          }
        },
        {
          skip: target === 'otherScheme' ? noTlsTrust : { chromium: browserFollows },
          timeout: 45_000,
        },
      );
    }
  }

  test(
    'httpbin /redirect/N, /relative-redirect/N, /absolute-redirect/N: followed to /get',
    async ({ server }) => {
      const calls: Parameters<typeof spy>[0] = [];
      const f = wrap(fetch, redirect(), spy(calls));
      for (const path of ['/redirect/3', '/relative-redirect/3', '/absolute-redirect/3']) {
        calls.length = 0;
        const res = await f(`${server.httpbin}${path}`);
        equal(res.status, 200, path);
        equal(res.redirected, true, `${path}: redirected`);
        equal(new URL(res.url).pathname, '/get', `${path}: final url`);
        const body = (await res.json()) as { url: string };
        ok(body.url.endsWith('/get'), `${path}: httpbin answered /get`);
        equal(calls.length, 4, `${path}: one call beneath per hop`);
      }
    },
    { skip: (env) => noHttpbin(env) || (env.runtime === 'chromium' ? browserFollows : false) },
  );

  test(
    'httpbin /redirect-to: 307 keeps POST and body, 303 becomes GET',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      const post = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' };
      const to = encodeURIComponent(`${server.httpbin}/anything`);
      const a = await f(`${server.httpbin}/redirect-to?url=${to}&status_code=307`, post);
      const ja = (await a.json()) as { method: string; data: string };
      equal(ja.method, 'POST');
      equal(ja.data, 'hello');
      const b = await f(`${server.httpbin}/redirect-to?url=${to}&status_code=303`, post);
      const jb = (await b.json()) as {
        method: string;
        data: string;
        headers: Record<string, string>;
      };
      equal(jb.method, 'GET');
      equal(jb.data, '');
      equal(jb.headers['Content-Type'], undefined, 'no Content-Type after the body was dropped');
    },
    { skip: (env) => noHttpbin(env) || (env.runtime === 'chromium' ? browserFollows : false) },
  );

  test(
    'credentials removed on leaving the origin are not restored on a hop back',
    async ({ server }) => {
      const id = uid('redir-back');
      const back = `${server.http}/echo/back?log=${id}`;
      const away = `${server.httpLocalhost}/redirect?status=302&log=${id}&to=${encodeURIComponent(back)}`;
      const from = `${server.http}/redirect?status=302&log=${id}&to=${encodeURIComponent(away)}`;
      const f = wrap(fetch, redirect());
      const res = await f(from, { headers: { Authorization: 'Bearer s3cret', Cookie: 'sid=1' } });
      equal(res.status, 200);
      const records = await seen(server, id);
      deepEqual(
        records.map((r) => r.headers.authorization ?? null),
        ['Bearer s3cret', null, null],
      );
      deepEqual(
        records.map((r) => r.headers.cookie ?? null),
        ['sid=1', null, null],
      );
      equal(res.url, back);
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    '301 and 302 change only POST: PUT keeps its method and body; HEAD after 303 stays HEAD',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      for (const status of [301, 302]) {
        const seenPut = await echo(
          await f(`${server.http}/redirect?status=${status}&to=/echo`, {
            method: 'PUT',
            body: 'put-body',
          }),
        );
        equal(seenPut.method, 'PUT', `${status} after PUT`);
        equal(seenPut.body, 'put-body');
      }
      const id = uid('redir-head');
      const head = await f(
        `${server.http}/redirect?status=303&to=${encodeURIComponent(`/echo?log=${id}`)}`,
        { method: 'HEAD' },
      );
      equal(head.status, 200);
      equal((await seen(server, id))[0]?.method, 'HEAD');
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    'the layers beneath are called once per hop, hops after the first carry { initial, previous, hop }',
    async ({ server }) => {
      const calls: Parameters<typeof spy>[0] = [];
      const f = wrap(fetch, redirect(), spy(calls));
      const res = await f(`${server.http}/chain?n=2`);
      equal(res.status, 200);
      equal(calls.length, 3);
      equal(calls[0]!.ctx.redirect, undefined, 'the first call has no redirect context');
      deepEqual(
        calls.map((c) => c.init?.redirect),
        ['manual', 'manual', 'manual'],
      );
      const hop2 = calls[2]!.ctx.redirect!;
      equal(hop2.hop, 2);
      equal(hop2.initial.href, `${server.http}/chain?n=2`);
      equal(hop2.previous.href, `${server.http}/chain?n=1`);
      equal(calls[1]!.ctx.redirect!.previous.href, `${server.http}/chain?n=2`);
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    "the final Response: redirected, url, streamed body, clone() keeps them; the caller's objects untouched",
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      const headers = new Headers({ Authorization: 'Bearer x' });
      const init: RequestInit = { headers };
      const res = await f(
        `${server.http}/redirect?status=302&to=${encodeURIComponent(`${server.http2}/drip?chunks=3&interval=20`)}`,
        init,
      );
      ok(res instanceof Response, 'a real Response');
      equal(res.redirected, true);
      equal(res.url, `${server.http2}/drip?chunks=3&interval=20`);
      const copy = res.clone();
      equal(copy.redirected, true, 'clone keeps redirected');
      equal(copy.url, res.url, 'clone keeps url');
      const reader = res.body!.getReader();
      const first = await reader.read();
      ok(!first.done && first.value.byteLength > 0, 'the body streams');
      equal(await copy.text(), 'chunk0;chunk1;chunk2;');
      // A tee branch's cancel settles once the source is done (read through the copy above).
      await reader.cancel();
      equal(headers.get('authorization'), 'Bearer x', "the caller's Headers were not changed");
      equal(init.redirect, undefined, "the caller's init was not changed");
      const plain = await f(`${server.http}/echo`);
      equal(plain.redirected, false, 'no redirect: redirected stays false');
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    "redirect: 'manual' returns the 3xx; 'error' rejects with fetch's TypeError (cause: RedirectError); neither calls beneath more than once",
    async ({ server, runtime }) => {
      const calls: Parameters<typeof spy>[0] = [];
      const f = wrap(fetch, redirect(), spy(calls));
      const res = await f(`${server.http}/redirect?status=302&to=/echo`, { redirect: 'manual' });
      equal(res.status, 302);
      equal(res.headers.get('location'), '/echo');
      equal(res.redirected, false);
      const error = await rejects(
        f(`${server.http}/redirect?status=302&to=/echo`, { redirect: 'error' }),
      );
      equal(error.name, 'TypeError');
      equal(error.method, 'GET');
      ok(error instanceof TypeError, 'a TypeError, as fetch rejects');
      equal((error.cause as { name?: string })?.name, 'RedirectError');
      equal((error.cause as { code?: string })?.code, 'UNEXPECTED_REDIRECT');
      // workerd: new Request() refuses redirect: 'error' itself; the init form above works there too.
      if (runtime !== 'workerd') {
        await rejects(
          f(new Request(`${server.http}/redirect?status=302&to=/echo`, { redirect: 'error' })),
          { name: 'TypeError' },
        );
      }
      equal(
        (await f(`${server.http}/echo`, { redirect: 'error' })).status,
        200,
        'no redirect: the response',
      );
      equal(calls.length, runtime === 'workerd' ? 3 : 4);
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    'too many redirects rejects with RedirectError (limit, default 20); limit 0 follows none',
    async ({ server }) => {
      const f = wrap(fetch, redirect({ limit: 2 }));
      equal((await f(`${server.http}/chain?n=2`)).status, 200, 'exactly the limit is fine');
      const error = await rejects(f(`${server.http}/chain?n=3&user=x`, { method: 'GET' }));
      ok(isRedirectError(error), 'isRedirectError');
      ok(error instanceof RedirectError);
      equal(error.name, 'RedirectError');
      equal(error.code, 'TOO_MANY_REDIRECTS');
      equal(error.method, 'GET');
      equal(error.hops, 2);
      ok(/more than 2 redirects/.test(error.message), error.message);
      const d = wrap(fetch, redirect());
      equal((await d(`${server.http}/chain?n=20`)).status, 200, '20 hops by default');
      equal((await rejects(d(`${server.http}/chain?n=21`))).code, 'TOO_MANY_REDIRECTS');
      const none = wrap(fetch, redirect({ limit: 0 }));
      equal((await rejects(none(`${server.http}/chain?n=1`))).code, 'TOO_MANY_REDIRECTS');
    },
    { skip: { chromium: browserFollows }, timeout: 20_000 },
  );

  test(
    'a Location that is not http(s) rejects with RedirectError BAD_LOCATION; URL credentials are redacted',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      const error = await rejects(
        f(
          `${server.http}/redirect?status=302&to=${encodeURIComponent('ftp://user:pw@example.com/x')}`,
        ),
      );
      equal(error.name, 'RedirectError');
      equal(error.code, 'BAD_LOCATION');
      ok(!String(error.message).includes('user:pw@'), 'no password in the message');
      ok(!String(error.location).includes('pw'), 'no password in location');
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    'a Location sent as raw UTF-8 bytes is read as UTF-8, as fetch and browsers read it',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      // The route writes `to` as latin1: these characters go out as the UTF-8 bytes of /echo/café/日本?q=ü.
      const raw = '/echo/caf\u00c3\u00a9/\u00e6\u0097\u00a5\u00e6\u009c\u00ac?q=\u00c3\u00bc';
      const res = await f(`${server.http}/hardening/location?to=${encodeURIComponent(raw)}`);
      equal(res.status, 200);
      const path = '/echo/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%BC';
      equal(res.url, `${server.http}${path}`);
      equal((await echo(res)).url, path);
    },
    { skip: { chromium: browserFollows } },
  );

  test(
    'a relative Location after a URL with a user name and password is followed, as fetch follows it; a Location naming them is refused',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      const base = server.http.replace('://', '://user:pw@');
      const relative = `${base}/redirect?status=302&to=${encodeURIComponent('/echo?hop=1')}`;
      const native = await fetch(relative);
      const res = await f(relative);
      equal(res.status, 200, 'followed');
      equal(res.status, native.status, "the runtime's fetch follows it too");
      equal(res.redirected, true);
      const [seen, nativeSeen] = [await echo(res), await echo(native)];
      equal(seen.url, '/echo?hop=1');
      equal(
        seen.headers.authorization,
        nativeSeen.headers.authorization,
        'the same credentials as fetch sends',
      );
      // The server naming credentials itself is still refused, its password not repeated.
      const named = `http://other:pw2@${server.http.slice('http://'.length)}/echo`;
      const error = await rejects(
        f(`${server.http}/redirect?status=302&to=${encodeURIComponent(named)}`),
      );
      equal(error.code, 'BAD_LOCATION');
      ok(!String(error.location).includes('pw2'), String(error.location));
    },
    {
      skip: {
        chromium: browserFollows,
        node: "Node's fetch refuses a URL with a user name or password before any redirect",
      },
    },
  );

  test(
    'a 307 after a stream body rejects with BODY_NOT_REPLAYABLE; a 303 after one is followed',
    async ({ server }) => {
      const f = wrap(fetch, redirect());
      const stream = () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('streamed'));
            c.close();
          },
        });
      const error = await rejects(
        f(`${server.http}/redirect?status=307&to=/echo`, {
          method: 'POST',
          body: stream(),
          duplex: 'half',
        } as RequestInit),
      );
      equal(error.code, 'BODY_NOT_REPLAYABLE');
      const res = await f(`${server.http}/redirect?status=303&to=/echo`, {
        method: 'POST',
        body: stream(),
        duplex: 'half',
      } as RequestInit);
      equal((await echo(res)).method, 'GET');
    },
    {
      skip: {
        chromium: browserFollows,
        workerd: 'workerd: a ReadableStream request body needs a known length (FixedLengthStream)',
      },
    },
  );

  test(
    "the caller's abort between hops rejects with the caller's reason",
    async ({ server, runtime }) => {
      const f = wrap(fetch, redirect());
      const controller = new AbortController();
      const reason = new Error('stop redirecting');
      const pending = f(
        `${server.http}/redirect?status=302&to=${encodeURIComponent('/slow?ms=3000')}`,
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(reason), 100);
      const error = await rejects(pending);
      if (runtime === 'workerd') equal(error.message, reason.message);
      else equal(error, reason);
    },
    { skip: { chromium: browserFollows } },
  );

  test('bad options are a TypeError when the layer is made', () => {
    throws(() => redirect({ limit: -1 }), { name: 'TypeError', message: /limit/ });
    throws(() => redirect({ limit: 1.5 }), { name: 'TypeError', message: /limit/ });
    throws(() => redirect({ limit: '3' as any }), { name: 'TypeError', message: /limit/ });
    throws(() => redirect({ limt: 3 } as any), {
      name: 'TypeError',
      message: /Did you mean "limit"/,
    });
    throws(() => redirect(5 as any), { name: 'TypeError' });
  });

  test(
    'browsers: the layer passes through and the browser follows (one call beneath, native redirected/url)',
    async ({ server }) => {
      const calls: Parameters<typeof spy>[0] = [];
      const f = wrap(fetch, redirect(), spy(calls));
      const res = await f(`${server.http}/redirect?status=302&to=/echo/after`);
      equal(res.status, 200);
      equal(res.redirected, true);
      equal(res.url, `${server.http}/echo/after`);
      equal(calls.length, 1);
      equal(calls[0]!.init, undefined, 'the call went down untouched');
    },
    {
      skip: {
        server: 'server runtimes: the layer follows itself (the other cases)',
        workerd: 'workerd: the layer follows itself (the other cases)',
      },
    },
  );
});
