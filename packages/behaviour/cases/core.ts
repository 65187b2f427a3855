import { bearerAuth } from '@fetchstack/auth';
import { cache } from '@fetchstack/cache';
import { compose, type Fetch, type Middleware, wrap } from '@fetchstack/core';
import { limit } from '@fetchstack/limit';
import { retry } from '@fetchstack/retry';
import { createSession } from '@fetchstack/session';
import {
  deepEqual,
  equal,
  group,
  ok,
  rejects,
  type Seen,
  seen,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';

const echo = async (res: Response): Promise<Seen> => (await res.json()) as Seen;

/** A layer that records when it is entered and left. */
function tracer(name: string, trace: string[]): Middleware {
  return (next) =>
    async function traced(input, init) {
      trace.push(`${name}>`);
      const res = await next(input, init);
      trace.push(`<${name}`);
      return res;
    };
}

group('core', () => {
  test('compose: the first layer listed is the outermost', async ({ server }) => {
    const trace: string[] = [];
    const bottom: Fetch = (input, init) => {
      trace.push('fetch');
      return fetch(input, init);
    };
    const f = compose(tracer('a', trace), tracer('b', trace), tracer('c', trace))(bottom);
    const res = await f(`${server.http}/echo`);
    equal(res.status, 200);
    deepEqual(trace, ['a>', 'b>', 'c>', 'fetch', '<c', '<b', '<a']);
  });

  test('compose: a layer can change the request the layers below see', async ({ server }) => {
    const setHeader =
      (value: string): Middleware =>
      (next) =>
      (input, init) => {
        const h = new Headers(init?.headers);
        h.set('x-layer', value);
        return next(input, { ...init, headers: h });
      };
    // outer sets "outer", inner overwrites with "inner": the server must see "inner".
    const f = wrap(fetch, setHeader('outer'), setHeader('inner'));
    const seen = await echo(await f(`${server.http}/echo`));
    equal(seen.headers['x-layer'], 'inner');
  });

  test('compose: undefined and false are skipped; anything else that is not a function is a TypeError', () => {
    const trace: string[] = [];
    const f = compose(undefined, tracer('a', trace), false);
    equal(typeof f, 'function');
    for (const junk of [null, 'retry', 42, {}, []]) {
      throws(() => compose(tracer('a', trace), junk as any), {
        name: 'TypeError',
        message: /argument 1/,
      });
    }
    throws(() => wrap('fetch' as any), { name: 'TypeError', message: /wrap\(\)/ });
    throws(() => compose((() => 'nope') as any)(fetch), { name: 'TypeError', message: /returned/ });
  });

  test('wrap with no layers returns the real Response of the platform', async ({ server }) => {
    const f = wrap(fetch);
    const res = await f(`${server.http}/status/201`);
    ok(res instanceof Response, 'a Response instance');
    equal(res.status, 201);
    equal(await res.text(), 'status 201');
  });

  test('string, URL and Request inputs all reach the server intact', async ({ server }) => {
    const f = wrap(fetch, tracer('t', []));
    const a = await echo(await f(`${server.http}/echo/string?q=1`));
    equal(a.url, '/echo/string?q=1');
    const b = await echo(await f(new URL('/echo/url?q=2', server.http)));
    equal(b.url, '/echo/url?q=2');
    const request = new Request(`${server.http}/echo/request`, {
      method: 'PUT',
      headers: { 'x-from-request': 'yes', 'content-type': 'text/plain' },
      body: 'request body',
    });
    const c = await echo(await f(request));
    equal(c.method, 'PUT');
    equal(c.headers['x-from-request'], 'yes');
    equal(c.body, 'request body');
  });

  test('every RequestInit field passes through the stack untouched', async ({
    server,
    runtime,
  }) => {
    const received: (RequestInit | undefined)[] = [];
    const spy: Middleware = (next) => (input, init) => {
      received.push(init);
      return next(input, init);
    };
    const f = wrap(fetch, tracer('outer', []), spy);
    const init = {
      method: 'PATCH',
      headers: { 'x-one': '1' },
      body: 'patched',
      redirect: 'manual',
      fetchstack: { marker: true },
      retry: 99,
    } as RequestInit;
    const seen = await echo(await f(`${server.http}/echo`, init));
    equal(seen.method, 'PATCH');
    equal(seen.headers['x-one'], '1');
    equal(seen.body, 'patched');
    equal(received[0], init, 'the same init object reaches the inner layer');

    const res = await f(`${server.http}/redirect?status=302&to=/echo`, { redirect: 'manual' });
    if (runtime === 'chromium') equal(res.type, 'opaqueredirect');
    else equal(res.status, 302, 'redirect: manual was honoured');
  });

  test('a relative URL resolves as fetch resolves it (in a page, against the page) through every wrapper', async ({
    server,
    runtime,
  }) => {
    let retries = 0;
    const quick = {
      limit: 2,
      backoff: { initial: 10, jitter: false },
      onRetry: () => void retries++,
    };
    const wrapped: [string, Fetch][] = [
      ['cache()', wrap(fetch, cache())],
      ["bearerAuth('t')", wrap(fetch, bearerAuth('t'))],
      ['limit()', wrap(fetch, limit({ concurrency: 1 }))],
      ['retry()', wrap(fetch, retry(quick))],
      [
        'a session',
        createSession({
          retry: quick,
          mount: { [`${server.http}/echo`]: { headers: { 'x-mounted': '1' } } },
        }),
      ],
    ];
    if (runtime !== 'chromium') {
      // No base URL here: fetch refuses a relative URL, and so does every wrapper.
      const native = await rejects(fetch('/echo'));
      for (const [name, f] of wrapped) {
        const error = await rejects(f('/echo'), undefined, name);
        equal(error.constructor, native.constructor, `${name} rejects as fetch does`);
      }
      return;
    }
    // The page is on server.http.
    for (const [name, f] of wrapped) {
      const id = uid('relative');
      const res = await f(`/echo?log=${id}`);
      equal(res.status, 200, name);
      const body = (await res.json()) as Seen;
      if (name.startsWith('bearer')) equal(body.headers.authorization, 'Bearer t', name);
      if (name === 'a session')
        equal(body.headers['x-mounted'], '1', 'the mount of its URL applies');
      equal((await seen(server, id)).length, 1, `${name}: one request`);
    }
    // A network failure on a relative URL is retried as on an absolute one.
    for (const [name, f] of wrapped.slice(3)) {
      retries = 0;
      await rejects(f(`/reset?log=${uid('relative-reset')}`), undefined, name);
      equal(retries, 2, `${name}: two retries`);
    }
  });

  test("the caller's abort rejects with the caller's reason, through every layer", async ({
    server,
    runtime,
  }) => {
    const f = wrap(fetch, tracer('a', []), tracer('b', []));
    const reason = new Error('caller gave up');
    const controller = new AbortController();
    const pending = f(`${server.http}/slow?ms=3000`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejects(pending);
    if (runtime === 'workerd') {
      // workerd: native fetch itself rejects with a copy of the reason, not the object.
      equal(error.message, reason.message, 'rejected with the reason passed to abort()');
    } else {
      equal(error, reason, 'rejected with exactly the reason passed to abort()');
    }

    const already = AbortSignal.abort('already');
    equal(await rejects(f(`${server.http}/echo`, { signal: already })), 'already');
  });

  test("a Request input's signal is honoured", async ({ server }) => {
    const f = wrap(fetch, tracer('a', []));
    const controller = new AbortController();
    const request = new Request(`${server.http}/slow?ms=3000`, { signal: controller.signal });
    const pending = f(request);
    setTimeout(() => controller.abort(), 50);
    await rejects(pending, { name: 'AbortError' });
  });
});
