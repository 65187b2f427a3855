// Cases for @fetchstack/cache (portable: no node: imports; they run in every runtime), alone on
// a plain fetch and inside a session, against /cache/* routes of the test server.
import { CacheApiStore, cache, MemoryStore } from '@fetchstack/cache';
import { wrap } from '@fetchstack/core';
import { createSession, logger } from '@fetchstack/session';
import {
  count,
  doesNotMatch,
  equal,
  group,
  match,
  ok,
  rejects,
  seen,
  sleep,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';

type Server = { http: string };
/** A /cache/resource URL for a fresh id (also logged under it), with the query asked for. */
function resource(server: Server, query: Record<string, string> = {}) {
  const id = uid('cache');
  const params = new URLSearchParams({ id, log: id, ...query });
  return { id, url: `${server.http}/cache/resource?${params}` };
}
const status = (res: Response) => res.headers.get('cache-status') ?? '';
const quick = { limit: 2, backoff: { initial: 10, jitter: false } };
/**
 * Fresh for a shared cache only: the layer with `shared: true` keeps it a minute, while a
 * browser's own (private) cache beneath must fetch it again, so Chromium counts what the layer
 * forwards, as the other runtimes do.
 */
const sharedOnly = 'max-age=0, s-maxage=60';
/** Cases that count repeated requests on the server, which a browser's own cache would answer. */
const browserCache = {
  chromium:
    "the browser's own HTTP cache sits beneath the layer and answers repeated requests for a fresh response itself, so the server never sees them",
};

group('cache', () => {
  test('a fresh response is answered from the store: one request on the server', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60' });
    const first = await f(url);
    equal(await first.text(), 'n=1');
    equal(status(first), 'fetchstack; fwd=miss; stored');
    const second = await f(url);
    equal(second.status, 200);
    equal(await second.text(), 'n=1');
    match(status(second), /^fetchstack; hit; ttl=(59|60)$/);
    equal(second.headers.get('age'), '0');
    equal(second.url, url);
    equal(await count(server, id), 1);
  });

  test("a hit is a Response of its own, as fetch's: a body read once, an empty body", async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { url } = resource(server, { cc: 'max-age=60' });
    await (await f(url)).text();
    const a = await f(url);
    const b = await f(url);
    match(status(a), /^fetchstack; hit/);
    equal(a.bodyUsed, false);
    // Changing the chunks one hit reads changes no other hit.
    const reader = a.body!.getReader();
    let read = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += new TextDecoder().decode(value);
      value.fill(42);
    }
    equal(read, 'n=1');
    equal(a.bodyUsed, true);
    await rejects(a.text(), { name: 'TypeError' });
    equal(await b.text(), 'n=1');
    equal(await (await f(url)).text(), 'n=1');
    // An empty body, stored and answered.
    const empty = resource(server, { cc: 'max-age=60', size: '0' });
    equal(await (await f(empty.url)).text(), '');
    const hit = await f(empty.url);
    match(status(hit), /^fetchstack; hit/);
    equal(await hit.text(), '');
  });

  test("a hit's body is fetch's kind: a BYOB reader reads it where fetch's takes one; clone() reads the same bytes whatever the caller does to the original's chunks", async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { url } = resource(server, { cc: 'max-age=60' });
    await (await f(url)).text();
    const hit = await f(url);
    const copy = hit.clone();
    const reader = hit.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      value.fill(42);
    }
    equal(await copy.text(), 'n=1');
    // A BYOB reader reads a hit wherever it reads fetch's own body.
    const byob = async (res: Response) => {
      try {
        const byobReader = res.body!.getReader({ mode: 'byob' });
        const { value } = await byobReader.read(new Uint8Array(64));
        byobReader.releaseLock();
        await res.body!.cancel();
        return new TextDecoder().decode(value);
      } catch (error) {
        await res.body?.cancel();
        return `no BYOB reader (${(error as Error).name})`;
      }
    };
    const native = await byob(await fetch(url));
    if (!native.startsWith('no BYOB')) equal(await byob(await f(url)), 'n=1', 'BYOB read of a hit');
  });

  test('stale with an ETag: a conditional request, the 304 answers with the stored status and body', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=0', etag: '"v1"' });
    equal(await (await f(url)).text(), 'n=1');
    const second = await f(url);
    equal(second.status, 200);
    equal(await second.text(), 'n=1');
    equal(status(second), 'fetchstack; fwd=stale; fwd-status=304');
    equal(second.headers.get('x-n'), '2', 'the 304 refreshed the stored headers');
    const log = await seen(server, id);
    equal(log.length, 2);
    equal(log[1]!.headers['if-none-match'], '"v1"');
  });

  test('Last-Modified validates with If-Modified-Since', async ({ server }) => {
    const f = wrap(fetch, cache());
    const lm = new Date(Date.now() - 3_600_000).toUTCString();
    const { id, url } = resource(server, { cc: 'no-cache', lm });
    await (await f(url)).text();
    const second = await f(url);
    equal(await second.text(), 'n=1');
    const log = await seen(server, id);
    equal(log[1]!.headers['if-modified-since'], lm);
  });

  test("revalidating another origin's response succeeds as fetch does, where that origin answers no CORS preflight", async ({
    server,
  }) => {
    // In Chromium the page is on server.http: server.http2 is another origin, which answers
    // CORS for simple requests only (`cors=simple`). Validators a page sets itself would need a
    // preflight; the browser's own cache beneath sends them with none, as for plain fetch.
    const f = wrap(fetch, cache());
    const lm = new Date(Date.now() - 3_600_000).toUTCString();
    const { id, url } = resource(
      { http: server.http2 },
      { cc: 'no-cache', etag: '"v1"', lm, cors: 'simple' },
    );
    equal(await (await f(url)).text(), 'n=1');
    const second = await f(url);
    equal(second.status, 200);
    equal(await second.text(), 'n=1', 'the stored body, validated by the origin');
    const log = await seen(server, id);
    equal(log.length, 2, 'one request per call, no retry');
    equal(log[1]!.headers['if-none-match'], '"v1"', 'the second request was conditional');
  });

  test('heuristic freshness and Age: an old Last-Modified is fresh a while; Age counts against max-age', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const old = resource(server, { lm: new Date(Date.now() - 100 * 86_400_000).toUTCString() });
    await (await f(old.url)).text();
    equal(status(await f(old.url)), status(await f(old.url)));
    equal(await count(server, old.id), 1);
    const aged = resource(server, { cc: 'max-age=60', age: '100' });
    await (await f(aged.url)).text();
    await (await f(aged.url)).text();
    equal(await count(server, aged.id), 2, 'a response older than its max-age is stale on arrival');
  });

  test('Vary: one stored variant per value of the named header', async ({ server }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60', vary: 'accept-language' });
    const fr = { headers: { 'accept-language': 'fr' } };
    const de = { headers: { 'accept-language': 'de' } };
    equal(await (await f(url, fr)).text(), 'n=1');
    const miss = await f(url, de);
    equal(await miss.text(), 'n=2');
    equal(status(miss), 'fetchstack; fwd=vary-miss; stored');
    equal(await (await f(url, fr)).text(), 'n=1');
    equal(await (await f(url, de)).text(), 'n=2');
    equal(await count(server, id), 2);
  });

  test('no-store, private (in a shared cache) and must-revalidate are honoured', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const noStore = resource(server, { cc: 'no-store' });
    await (await f(noStore.url)).text();
    const again = await f(noStore.url);
    equal(await again.text(), 'n=2');
    equal(status(again), 'fetchstack; fwd=miss');

    const shared = wrap(fetch, cache({ shared: true }));
    const priv = resource(server, { cc: `private, ${sharedOnly}` });
    await (await shared(priv.url)).text();
    const notStored = await shared(priv.url);
    await notStored.text();
    equal(status(notStored), 'fetchstack; fwd=miss');
    equal(await count(server, priv.id), 2, 'a shared cache does not store private');
    const mine = resource(server, { cc: 'private, max-age=60' });
    await (await f(mine.url)).text();
    const hit = await f(mine.url);
    await hit.text();
    match(status(hit), /^fetchstack; hit/, 'a private cache does');

    const sMaxAge = resource(server, { cc: 'max-age=0, s-maxage=60' });
    await (await shared(sMaxAge.url)).text();
    await (await shared(sMaxAge.url)).text();
    equal(await count(server, sMaxAge.id), 1, 's-maxage applies to a shared cache');

    const must = resource(server, {
      cc: 'max-age=0, must-revalidate, stale-if-error=60',
      'fail-after': '1',
    });
    await (await f(must.url)).text();
    const failed = await f(must.url);
    equal(failed.status, 503, 'must-revalidate: no stale response stands in for an error');
    await failed.text();
  });

  test('cache modes: no-cache revalidates, reload and no-store go to the network, force-cache and only-if-cached use what is stored', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60', etag: '"e"' });
    await (await f(url)).text();
    const noCache = await f(url, { cache: 'no-cache' });
    equal(await noCache.text(), 'n=1');
    equal(status(noCache), 'fetchstack; fwd=request; fwd-status=304');
    const reload = await f(url, { cache: 'reload' });
    equal(await reload.text(), 'n=3');
    const noStore = await f(url, { cache: 'no-store' });
    equal(await noStore.text(), 'n=4');
    equal(status(noStore), 'fetchstack; fwd=bypass');
    equal(await (await f(url)).text(), 'n=3', 'no-store neither read nor replaced the entry');
    const log = await seen(server, id);
    equal(log.length, 4);
    equal(log[1]!.headers['if-none-match'], '"e"');
    equal(log[2]!.headers['if-none-match'], undefined, 'reload is unconditional');
    equal(log[2]!.headers['cache-control'], 'no-cache');

    const stale = resource(server, { cc: 'max-age=0', etag: '"s"' });
    await (await f(stale.url)).text();
    const forced = await f(stale.url, { cache: 'force-cache' });
    equal(await forced.text(), 'n=1');
    match(status(forced), /^fetchstack; hit/);
    equal(
      await (await f(stale.url, { cache: 'only-if-cached', mode: 'same-origin' })).text(),
      'n=1',
    );
    equal(await count(server, stale.id), 1);
  });

  test('only-if-cached with nothing stored rejects with a TypeError, sending nothing', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60' });
    await rejects(f(url, { cache: 'only-if-cached', mode: 'same-origin' }), {
      name: 'TypeError',
      message: /only-if-cached/,
    });
    equal(await count(server, id), 0);
  });

  test('a successful POST invalidates its URL and its Location on the same origin', async ({
    server,
  }) => {
    const f = wrap(fetch, cache({ shared: true }));
    const a = resource(server, { cc: sharedOnly });
    const b = resource(server, { cc: sharedOnly });
    await (await f(a.url)).text();
    await (await f(b.url)).text();
    const bPath = b.url.slice(server.http.length);
    const post = await f(`${server.http}/cache/write?location=${encodeURIComponent(bPath)}`, {
      method: 'POST',
      body: 'x',
    });
    equal(status(post), 'fetchstack; fwd=method');
    await post.text();
    await (await f(a.url)).text();
    equal(await (await f(b.url)).text(), 'n=2', 'Location was invalidated');
    equal(await count(server, a.id), 1, 'another URL is untouched');
    const put = await f(a.url, { method: 'PUT', body: 'x' });
    await put.text();
    equal(await (await f(a.url)).text(), 'n=3', 'the URL itself was invalidated');
  });

  test('HEAD is answered from a stored GET', async ({ server }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60' });
    await (await f(url)).text();
    const head = await f(url, { method: 'HEAD' });
    equal(head.status, 200);
    equal(head.headers.get('x-n'), '1');
    equal(await head.text(), '');
    equal(await count(server, id), 1);
  });

  test('stale-if-error: a stored response stands in for a 503', async ({ server }) => {
    const f = wrap(fetch, cache());
    const { url } = resource(server, {
      cc: 'max-age=0, stale-if-error=60',
      etag: '"x"',
      'fail-after': '1',
    });
    await (await f(url)).text();
    const res = await f(url);
    equal(res.status, 200);
    equal(await res.text(), 'n=1');
    equal(status(res), 'fetchstack; fwd=stale; fwd-status=503; detail=stale-if-error');
  });

  test(
    'stale-while-revalidate: the stale response at once, refreshed in the background',
    async ({ server }) => {
      const f = wrap(fetch, cache());
      const { id, url } = resource(server, { cc: 'max-age=0, stale-while-revalidate=60' });
      await (await f(url)).text();
      const stale = await f(url);
      equal(await stale.text(), 'n=1');
      match(status(stale), /^fetchstack; hit; ttl=-?\d+$/);
      for (let i = 0; i < 100 && (await count(server, id)) < 2; i++) await sleep(20);
      equal(await count(server, id), 2);
      let body = '';
      for (let i = 0; i < 100 && body !== 'n=2'; i++) {
        body = await (await f(url)).text();
        if (body !== 'n=2') await sleep(20);
      }
      equal(body, 'n=2');
    },
    { skip: browserCache },
  );

  test(
    'in a session: a background revalidation ends when the session closes, and within its total timeout',
    async ({ server }) => {
      // The origin answers the revalidation only after 10 s.
      const query = { cc: 'max-age=0, stale-while-revalidate=60', 'slow-after': '1' };
      const closing = resource(server, query);
      const session = createSession({ cache: true, retry: false });
      await (await session(closing.url)).text();
      equal(await (await session(closing.url)).text(), 'n=1', 'the stale answer at once');
      for (let i = 0; i < 100 && (await count(server, closing.id)) < 2; i++) await sleep(20);
      const started = Date.now();
      await session.close();
      ok(Date.now() - started < 5_000, `close() waited ${Date.now() - started} ms for it`);

      // With a total timeout of 500 ms the revalidation ends then: a new one may start.
      const bounded = resource(server, query);
      await using timed = createSession({ cache: true, retry: false, timeout: 500 });
      await (await timed(bounded.url)).text();
      await (await timed(bounded.url)).text();
      await sleep(1_500);
      await (await timed(bounded.url)).text();
      for (let i = 0; i < 100 && (await count(server, bounded.id)) < 3; i++) await sleep(20);
      equal(await count(server, bounded.id), 3, 'the first revalidation ended, a second began');
    },
    { skip: browserCache, timeout: 20_000 },
  );

  test('a clock option ages stored responses without waiting', async ({ server }) => {
    let now = Date.now();
    const f = wrap(fetch, cache({ now: () => now }));
    const { id, url } = resource(server, { cc: 'max-age=30', etag: '"c"' });
    await (await f(url)).text();
    await (await f(url)).text();
    equal(await count(server, id), 1);
    now += 31_000;
    const later = await f(url);
    equal(status(later), 'fetchstack; fwd=stale; fwd-status=304');
    equal(await later.text(), 'n=1');
    equal(await count(server, id), 2);
  });

  test('streaming: a body over maxBodySize passes through unstored; a half-read body still stores whole', async ({
    server,
  }) => {
    const f = wrap(fetch, cache({ maxBodySize: 1000, shared: true }));
    const big = resource(server, { cc: sharedOnly, size: '5000' });
    equal((await (await f(big.url)).arrayBuffer()).byteLength, 5000);
    equal((await (await f(big.url)).arrayBuffer()).byteLength, 5000);
    equal(await count(server, big.id), 2);

    const g = wrap(fetch, cache({ shared: true }));
    const half = resource(server, { cc: sharedOnly, size: '300000' });
    const res = await g(half.url);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    let hit: Response | undefined;
    for (let i = 0; i < 100; i++) {
      hit = await g(half.url, { cache: 'only-if-cached', mode: 'same-origin' }).catch(
        () => undefined,
      );
      if (hit) break;
      await sleep(20);
    }
    ok(hit, 'the entry was stored');
    equal((await hit.arrayBuffer()).byteLength, 300000);
    equal(await count(server, half.id), 1);
  });

  test('a store that throws never fails a call; the error is reported', async ({ server }) => {
    const errors: unknown[] = [];
    const broken = {
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
    };
    const f = wrap(fetch, cache({ store: broken, onStoreError: (e) => errors.push(e) }));
    const { id, url } = resource(server, { cc: 'no-cache', etag: '"t"' });
    equal(await (await f(url)).text(), 'n=1');
    equal((await f(url)).status, 200);
    equal(await count(server, id), 2);
    ok(errors.length >= 2);
  });

  test('in a session: a store that throws is written once by logger(), and every call succeeds', async ({
    server,
  }) => {
    const lines: string[] = [];
    const target = {
      info: () => {},
      warn: (line: unknown) => {
        lines.push(String(line));
      },
    };
    const broken = {
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
    };
    await using session = createSession({ cache: { store: broken }, hooks: logger(target) });
    // no-store: every call looks the URL up in the (failing) store, and the browser's own cache
    // beneath keeps nothing either.
    const { id, url } = resource(server, { cc: 'no-store' });
    for (let i = 1; i <= 3; i++) equal(await (await session(url)).text(), `n=${i}`);
    equal(await count(server, id), 3);
    const storeLines = lines.filter((line) => /store/.test(line));
    equal(storeLines.length, 1, `one line for the outage, got: ${JSON.stringify(lines)}`);
    match(storeLines[0] ?? '', /CacheStoreError: cache: the store failed to/);
  });

  test('bad options throw a TypeError naming the option', () => {
    throws(() => cache({ store: {} as never }), { name: 'TypeError', message: /"store"/ });
    throws(() => new MemoryStore({ maxBytes: -1 }), { name: 'TypeError', message: /"maxBytes"/ });
    throws(() => createSession({ cache: { maxBodySize: -1 } }), {
      name: 'TypeError',
      message: /createSession\(\): "cache\.maxBodySize"/,
    });
  });

  test('in a session: a hit skips retry and the network', async ({ server }) => {
    await using session = createSession({ cache: true, retry: quick });
    const { id, url } = resource(server, { cc: 'max-age=60' });
    equal(await (await session(url)).text(), 'n=1');
    const hit = await session(url);
    equal(await hit.text(), 'n=1');
    match(status(hit), /^fetchstack; hit/);
    equal(await count(server, id), 1);
    await using plain = createSession();
    await rejects(plain(url, { fetchstack: { cache: true } }), {
      name: 'TypeError',
      message: /no cache/,
    });
  });

  test(
    "in a session: Vary and a shared cache's rule for Authorization see the session's auth, cookies and default headers",
    async ({ server }) => {
      // One user's answer, varying on Authorization, never goes to another.
      await using session = createSession({ cache: true, auth: { bearer: 'alice' } });
      const byAuth = resource(server, { cc: 'max-age=60', vary: 'authorization' });
      equal(await (await session(byAuth.url)).text(), 'n=1');
      session.auth = { bearer: 'bob' };
      const bob = await session(byAuth.url);
      equal(await bob.text(), 'n=2', 'bob got his own answer, not alice’s');
      doesNotMatch(status(bob), /hit/);
      // Varying on Cookie: the jar's cookie is the request's.
      const byCookie = resource(server, { cc: 'max-age=60', vary: 'cookie' });
      await session.cookies.set('user', 'alice', { domain: '127.0.0.1' });
      equal(await (await session(byCookie.url)).text(), 'n=1');
      await session.cookies.set('user', 'bob', { domain: '127.0.0.1' });
      equal(await (await session(byCookie.url)).text(), 'n=2');
      // A default header the response varies on: a variant per value, hits for the same one.
      session.headers.set('Accept-Language', 'fr');
      const byLanguage = resource(server, { cc: 'max-age=60', vary: 'accept-language' });
      equal(await (await session(byLanguage.url)).text(), 'n=1');
      const again = await session(byLanguage.url);
      equal(await again.text(), 'n=1', 'the same language: a hit');
      session.headers.set('Accept-Language', 'de');
      equal(await (await session(byLanguage.url)).text(), 'n=2', 'another language: its own');
      // A shared cache does not store an answer to a request with Authorization (the session's)
      // unless the response allows it (public, s-maxage, must-revalidate).
      await using shared = createSession({ cache: { shared: true }, auth: { bearer: 'carol' } });
      const privateOne = resource(server, { cc: 'max-age=60' });
      await (await shared(privateOne.url)).text();
      equal(await (await shared(privateOne.url)).text(), 'n=2', 'not stored');
      equal(await count(server, privateOne.id), 2);
    },
    { skip: browserCache },
  );

  test(
    "in a session: a mount's own auth and headers are what the cache judges its calls by",
    async ({ server }) => {
      // A shared cache, auth only on a mount: its authenticated answers are not stored.
      await using shared = createSession({ cache: { shared: true } });
      shared.mount(`${server.http}/cache/`, { auth: { bearer: 'dave' } });
      const privateOne = resource(server, { cc: 'max-age=60' });
      await (await shared(privateOne.url)).text();
      const again = await shared(privateOne.url);
      equal(await again.text(), 'n=2', 'not stored');
      doesNotMatch(status(again), /hit/);
      // Two sessions on one store, a tenant header on each one's mount: each its own variant.
      const store = new MemoryStore();
      await using alpha = createSession({ cache: { store } });
      alpha.mount(`${server.http}/cache/`, { headers: { 'X-Tenant': 'alpha' } });
      await using beta = createSession({ cache: { store } });
      beta.mount(`${server.http}/cache/`, { headers: { 'X-Tenant': 'beta' } });
      const byTenant = resource(server, { cc: 'max-age=60', vary: 'x-tenant' });
      equal(await (await alpha(byTenant.url)).text(), 'n=1');
      const other = await beta(byTenant.url);
      equal(await other.text(), 'n=2', "beta got its own answer, not alpha's");
      doesNotMatch(status(other), /hit/);
      equal(await (await alpha(byTenant.url)).text(), 'n=1', "alpha's variant is still a hit");
      equal(await count(server, byTenant.id), 2);
      // A mount that removes a session default: its answer is not the variant for that default.
      await using gamma = createSession({ cache: { store }, headers: { 'X-Tenant': 'gamma' } });
      gamma.mount(`${server.http}/cache/`, { headers: { 'X-Tenant': undefined } });
      await using delta = createSession({ cache: { store }, headers: { 'X-Tenant': 'gamma' } });
      const removed = resource(server, { cc: 'max-age=60', vary: 'x-tenant' });
      equal(await (await gamma(removed.url)).text(), 'n=1');
      const withDefault = await delta(removed.url);
      equal(await withDefault.text(), 'n=2', 'the variant without the header is not served for it');
      doesNotMatch(status(withDefault), /hit/);
    },
    { skip: browserCache },
  );

  test('in a session: fetchstack.cache: false leaves one call uncached', async ({ server }) => {
    await using session = createSession({ cache: { shared: true } });
    const { id, url } = resource(server, { cc: sharedOnly });
    await (await session(url)).text();
    const bypass = await session(url, { fetchstack: { cache: false } });
    equal(await bypass.text(), 'n=2');
    equal(bypass.headers.get('cache-status'), null);
    equal(await count(server, id), 2);
  });

  test("in a session: a call with credentials: 'omit' is never answered with a response stored for a call with credentials, nor stored for them", async ({
    server,
  }) => {
    // A shared cache (s-maxage) stores the authenticated response; a browser's own cache
    // beneath (max-age=0) does not, so every runtime counts the same requests.
    await using session = createSession({ cache: { shared: true }, auth: { bearer: 'tok' } });
    const { id, url } = resource(server, { cc: sharedOnly });
    const signedIn = await session(url);
    equal(await signedIn.text(), 'n=1');
    const anonymous = await session(url, { credentials: 'omit' });
    equal(await anonymous.text(), 'n=2', 'the omit call went to the server, not to the store');
    const again = await session(url);
    equal(await again.text(), 'n=1', 'a call with credentials still gets its own stored response');
    equal(status(again).startsWith('fetchstack; hit'), true, status(again));
    const log = await seen(server, id);
    equal(log.length, 2);
    equal(log[0]!.headers.authorization, 'Bearer tok');
    equal(log[1]!.headers.authorization, undefined);
  });

  test('in a session: a revalidation goes through auth; stale-if-error judges the outcome after retries', async ({
    server,
  }) => {
    await using session = createSession({ cache: true, retry: quick, auth: { bearer: 'tok' } });
    const { id, url } = resource(server, {
      cc: 'max-age=0, stale-if-error=60',
      etag: '"a"',
      'fail-after': '2',
    });
    await (await session(url)).text();
    const revalidated = await session(url);
    equal(status(revalidated), 'fetchstack; fwd=stale; fwd-status=304');
    await revalidated.text();
    const log = await seen(server, id);
    equal(log[1]!.headers.authorization, 'Bearer tok');
    equal(log[1]!.headers['if-none-match'], '"a"');
    const afterRetries = await session(url);
    equal(await afterRetries.text(), 'n=1');
    equal(status(afterRetries), 'fetchstack; fwd=stale; fwd-status=503; detail=stale-if-error');
    equal(await count(server, id), 5, 'the failing revalidation was retried twice first');
  });

  test(
    "in a session: a stored response's Set-Cookie is not applied again",
    async ({ server }) => {
      await using session = createSession({ cache: true });
      const { url } = resource(server, { cc: 'max-age=60', cookie: '1' });
      await (await session(url)).text();
      equal((await session.cookies.get('n', url))?.value, '1');
      await session.cookies.delete('n', { domain: new URL(url).hostname });
      const hit = await session(url);
      match(status(hit), /^fetchstack; hit/);
      await hit.text();
      equal(await session.cookies.get('n', url), undefined);
    },
    { skip: { chromium: "a page cannot read the browser's cookie jar" } },
  );

  test('in a session: a mount may leave a prefix uncached', async ({ server }) => {
    await using session = createSession({ cache: { shared: true } });
    session.mount(`${server.http}/cache/`, { cache: false });
    const { id, url } = resource(server, { cc: sharedOnly });
    await (await session(url)).text();
    await (await session(url)).text();
    equal(await count(server, id), 2);
  });

  test(
    'CacheApiStore: responses kept in the Cache API answer later calls, through a fresh store object too',
    async ({ server }) => {
      const name = uid('store');
      const f = wrap(fetch, cache({ store: new CacheApiStore({ name }) }));
      const { id, url } = resource(server, { cc: 'max-age=60', etag: '"k"' });
      equal(await (await f(url)).text(), 'n=1');
      const again = wrap(fetch, cache({ store: new CacheApiStore({ name }) }));
      const hit = await again(url);
      match(status(hit), /^fetchstack; hit/);
      equal(await hit.text(), 'n=1');
      equal(hit.headers.get('etag'), '"k"');
      equal(await count(server, id), 1);
      // workerd does not implement caches.delete(name): the entry is removed instead.
      await new CacheApiStore({ name }).delete(url);
      equal(await new CacheApiStore({ name }).get(url), undefined);
    },
    {
      skip: { node: 'Node has no Cache API', bun: 'Bun has no Cache API' },
    },
  );

  test('immutable gives no freshness of its own: without max-age it is revalidated like any stale response', async ({
    server,
  }) => {
    const f = wrap(fetch, cache({ heuristic: 0 }));
    const { id, url } = resource(server, { cc: 'immutable', etag: '"i"' });
    await (await f(url)).text();
    const second = await f(url);
    equal(await second.text(), 'n=1');
    equal(status(second), 'fetchstack; fwd=stale; fwd-status=304');
    equal(await count(server, id), 2);
  });

  test('shared: proxy-revalidate binds only once stale, as must-revalidate does', async ({
    server,
  }) => {
    const f = wrap(fetch, cache({ shared: true }));
    const { id, url } = resource(server, { cc: 'max-age=600, proxy-revalidate', etag: '"p"' });
    await (await f(url)).text();
    const second = await f(url);
    match(status(second), /^fetchstack; hit; ttl=(599|600)$/);
    equal(await count(server, id), 1);
  });

  test("the caller's abort while revalidating rejects: stale-if-error is for the origin's failures", async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { url } = resource(server, {
      cc: 'max-age=0, stale-if-error=3600',
      etag: '"a"',
      'slow-after': '1',
    });
    await (await f(url)).text();
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 100);
    // (workerd's fetch rejects with a copy of the reason.)
    await rejects(
      f(url, { signal: controller.signal }),
      (e) => e === reason || (e as Error).message === reason.message,
    );
  });

  test('a caller that changes the chunks it reads does not change what is stored', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60' });
    const reader = (await f(url)).body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      value.fill(42);
    }
    const hit = await f(url);
    equal(await hit.text(), 'n=1');
    equal(await count(server, id), 1);
  });

  test("a session's default Cache-Control: no-cache revalidates, as the call's own does", async ({
    server,
  }) => {
    await using session = createSession({ cache: true, headers: { 'Cache-Control': 'no-cache' } });
    const { id, url } = resource(server, { cc: 'max-age=60', etag: '"d"' });
    await (await session(url)).text();
    const second = await session(url);
    equal(await second.text(), 'n=1');
    equal(status(second), 'fetchstack; fwd=request; fwd-status=304');
    equal(await count(server, id), 2);
  });

  test('a stored response keeps no request header it is not matched on (no token in the store)', async ({
    server,
  }) => {
    const store = new MemoryStore();
    const f = wrap(fetch, cache({ store }));
    const { id, url } = resource(server, { cc: 'max-age=60', vary: 'accept-language' });
    const headers = {
      Authorization: 'Bearer SECRET-TOKEN',
      'Accept-Language': 'de',
      'X-Trace': 'SECRET-TRACE',
    };
    await (await f(url, { headers })).text();
    const record = await store.get(url);
    equal(record?.responses.length, 1);
    const kept = JSON.stringify({ ...record!.responses[0], body: undefined });
    doesNotMatch(kept, /SECRET/);
    match(kept, /"de"/, 'the Vary field is kept');
    match(status(await f(url, { headers })), /^fetchstack; hit/);
    equal(await count(server, id), 1);
  });

  test("cache: 'only-if-cached' sends nothing, also with the caller's own If-None-Match", async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60', etag: '"o"' });
    await rejects(
      f(url, { cache: 'only-if-cached', headers: { 'If-None-Match': '"o"' } }),
      (e) => (e as { code?: string }).code === 'ONLY_IF_CACHED',
    );
    equal(await count(server, id), 0);
  });

  test(
    'a call that asks for a shared cache is never answered with a private response',
    async ({ server }) => {
      const f = wrap(fetch, cache());
      const { id, url } = resource(server, { cc: 'private, max-age=600' });
      await (await f(url)).text();
      match(status(await f(url)), /^fetchstack; hit/);
      const shared = await f(url, { fetchstack: { cache: { shared: true } } } as RequestInit);
      doesNotMatch(status(shared), /hit/);
      equal(await count(server, id), 2);
    },
    { skip: browserCache },
  );

  test(
    'shared: a response that sets a cookie is not stored',
    async ({ server }) => {
      const f = wrap(fetch, cache({ shared: true }));
      const { id, url } = resource(server, { cc: 'max-age=0', etag: '"c"', cookie: '1' });
      const first = await f(url);
      await first.text();
      equal(status(first), 'fetchstack; fwd=miss');
      const second = await f(url);
      equal(await second.text(), 'n=2', 'the second call went to the origin');
      equal(status(second), 'fetchstack; fwd=miss');
      equal(await count(server, id), 2);
    },
    { skip: { chromium: 'a page cannot read Set-Cookie, so the layer never sees one' } },
  );

  test('the request directive only-if-cached: a 504 when nothing is stored, and nothing sent', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60' });
    const headers = { 'Cache-Control': 'only-if-cached' };
    const miss = await f(url, { headers });
    equal(miss.status, 504);
    equal(miss.url, url);
    equal(status(miss), 'fetchstack; detail=only-if-cached');
    equal(await count(server, id), 0);
    await (await f(url)).text();
    const hit = await f(url, { headers });
    equal(await hit.text(), 'n=1');
    equal(await count(server, id), 1);
  });

  test('a Vary value that differs only in spaces is revalidated with the stored validator', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=0', etag: '"w"', vary: 'accept-language' });
    await (await f(url, { headers: { 'Accept-Language': 'de, en' } })).text();
    const second = await f(url, { headers: { 'Accept-Language': 'de,en' } });
    equal(await second.text(), 'n=1');
    const log = await seen(server, id);
    equal(log.length, 2);
    equal(log[1]!.headers['if-none-match'], '"w"');
  });

  test('an Expires with a two-digit year (RFC 850) within 50 years is in this century', async ({
    server,
  }) => {
    const f = wrap(fetch, cache());
    // A year 50 or more in its century, at most 50 years ahead: `Date.parse` reads it 100 years early.
    const now = new Date().getUTCFullYear();
    const year = (now % 100 < 50 ? now - (now % 100) + 50 : now + 1) % 100;
    const { id, url } = resource(server, {
      expires: `Thursday, 18-Aug-${String(year).padStart(2, '0')} 10:00:00 GMT`,
    });
    await (await f(url)).text();
    match(status(await f(url)), /^fetchstack; hit/);
    equal(await count(server, id), 1);
  });

  test('Vary with * in a list is not stored: no later call could use it', async ({ server }) => {
    const f = wrap(fetch, cache());
    const { id, url } = resource(server, { cc: 'max-age=60', vary: 'accept, *' });
    const first = await f(url);
    await first.text();
    equal(status(first), 'fetchstack; fwd=miss');
    await (await f(url)).text();
    equal(await count(server, id), 2);
  });
});
