import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { wrap } from '@fetchstack/core';
import { cache } from './factory.js';
import { MemoryStore } from './memory-store.js';
import type { CacheRecord, CacheStore } from './store.js';
import { type CacheStoreError, isCacheStoreError } from './store-error.js';

// A real server on 127.0.0.1: each path answers with what its query asks, and counts hits.
let base = '';
const hits = new Map<string, number>();
const seen: IncomingMessage[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://x');
  hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
  seen.push(req);
  const n = hits.get(url.pathname);
  const etag = url.searchParams.get('etag');
  if (etag && req.headers['if-none-match'] === etag) {
    res.writeHead(304, {
      etag,
      'cache-control': url.searchParams.get('cc') ?? 'max-age=0',
      'x-n': String(n),
    });
    return res.end();
  }
  const status = Number(url.searchParams.get('status') ?? 200);
  const headers: Record<string, string> = { 'x-n': String(n) };
  if (url.searchParams.get('cc')) headers['cache-control'] = url.searchParams.get('cc')!;
  if (etag) headers.etag = etag;
  if (url.searchParams.get('vary')) headers.vary = url.searchParams.get('vary')!;
  if (url.searchParams.get('location')) headers.location = url.searchParams.get('location')!;
  res.writeHead(status, headers);
  res.end(`body ${n}`);
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

let counter = 0;
const path = (query: string) => `${base}/p${++counter}?${query}`;
const count = (url: string) => hits.get(new URL(url).pathname) ?? 0;

describe('cache()', () => {
  test('a fresh response is answered from the store', async () => {
    const f = wrap(fetch, cache());
    const url = path('cc=max-age=60');
    const a = await f(url);
    assert.equal(await a.text(), 'body 1');
    assert.equal(a.headers.get('cache-status'), 'fetchstack; fwd=miss; stored');
    const b = await f(url);
    assert.equal(await b.text(), 'body 1');
    assert.match(b.headers.get('cache-status') ?? '', /^fetchstack; hit; ttl=(59|60)$/);
    assert.equal(b.headers.get('age'), '0');
    assert.equal(b.url, url);
    assert.equal(count(url), 1);
  });

  test('a per-call cache value that is not options is named in the message', async () => {
    const f = wrap(fetch, cache());
    for (const [value, named] of [
      [null, 'null'],
      [5, 'number 5'],
      ['yes', 'the string "yes"'],
    ] as const) {
      await assert.rejects(
        f(path('cc=max-age=60'), { fetchstack: { cache: value } } as RequestInit),
        {
          name: 'TypeError',
          message: `fetch(input, init): "fetchstack.cache" must be true, false or cache options; got ${named}.`,
        },
      );
    }
  });

  test('a stale response is revalidated; a 304 gives the stored body', async () => {
    let now = 1_000_000;
    const f = wrap(fetch, cache({ now: () => now }));
    const url = path('cc=max-age=10&etag="v1"');
    assert.equal(await (await f(url)).text(), 'body 1');
    now += 11_000;
    const b = await f(url);
    assert.equal(b.status, 200);
    assert.equal(await b.text(), 'body 1');
    assert.equal(b.headers.get('cache-status'), 'fetchstack; fwd=stale; fwd-status=304');
    assert.equal(b.headers.get('x-n'), '2');
    assert.equal(count(url), 2);
    assert.equal(seen.at(-1)?.headers['if-none-match'], '"v1"');
  });

  test('a response fresh for days is kept a day past its freshness, so a 304 still saves its body', async () => {
    let now = 1_000_000;
    // The store honours the ttl it is given, on the same clock as the cache.
    const store = new MemoryStore({ now: () => now });
    const f = wrap(fetch, cache({ store, now: () => now }));
    const url = path('cc=max-age=172800&etag="v1"'); // fresh for two days
    assert.equal(await (await f(url)).text(), 'body 1');
    now += (172_800 + 3_600) * 1000; // stale for an hour
    const b = await f(url);
    assert.equal(b.headers.get('cache-status'), 'fetchstack; fwd=stale; fwd-status=304');
    assert.equal(await b.text(), 'body 1');
    assert.equal(count(url), 2);
  });

  test('Vary keeps one variant per header value', async () => {
    const f = wrap(fetch, cache());
    const url = path('cc=max-age=60&vary=accept-language');
    await (await f(url, { headers: { 'accept-language': 'fr' } })).text();
    await (await f(url, { headers: { 'accept-language': 'de' } })).text();
    assert.equal(await (await f(url, { headers: { 'accept-language': 'fr' } })).text(), 'body 1');
    assert.equal(await (await f(url, { headers: { 'accept-language': 'de' } })).text(), 'body 2');
    assert.equal(count(url), 2);
  });

  test('no-store is never stored; cache modes', async () => {
    const f = wrap(fetch, cache());
    const url = path('cc=no-store');
    await (await f(url)).text();
    await (await f(url)).text();
    assert.equal(count(url), 2);
    const fresh = path('cc=max-age=60');
    await (await f(fresh)).text();
    const reload = await f(fresh, { cache: 'reload' });
    assert.equal(await reload.text(), 'body 2');
    assert.equal(seen.at(-1)?.headers['cache-control'], 'no-cache');
    await assert.rejects(f(path('x=1'), { cache: 'only-if-cached' }), TypeError);
    const only = await f(fresh, { cache: 'only-if-cached' });
    assert.equal(await only.text(), 'body 2');
  });

  test('an unsafe method invalidates', async () => {
    const f = wrap(fetch, cache());
    const url = path('cc=max-age=60');
    await (await f(url)).text();
    await (await f(url, { method: 'POST', body: 'x' })).text();
    assert.equal(await (await f(url)).text(), 'body 3');
  });

  test('a store that throws never fails a call', async () => {
    const errors: unknown[] = [];
    const broken = {
      get: () => Promise.reject(new Error('down')),
      set: () => {
        throw new Error('down');
      },
      delete: () => {},
    };
    const f = wrap(fetch, cache({ store: broken, onStoreError: (e) => errors.push(e) }));
    const url = path('cc=max-age=60');
    assert.equal(await (await f(url)).text(), 'body 1');
    assert.equal(await (await f(url)).text(), 'body 2');
    assert.ok(errors.length >= 2);
  });

  test('a record this cache cannot read (another version wrote it, a store mangled it) is a miss, then replaced', async () => {
    // A store that keeps whatever it is given, as one over Redis or a file would hand it back.
    const kept = new Map<string, CacheRecord>();
    const store: CacheStore = {
      get: (key) => kept.get(key),
      set: (key, record) => void kept.set(key, record),
      delete: (key) => void kept.delete(key),
    };
    const f = wrap(fetch, cache({ store }));
    const url = path('cc=max-age=60');
    assert.equal(await (await f(url)).text(), 'body 1');
    const [good] = kept.get(url)!.responses;
    const unreadable = [
      // A policy http-cache-semantics refuses (another serialization version).
      { ...good!, policy: { ...good!.policy, v: 2 } },
      // Fields missing or of another shape.
      { ...good!, headers: { 'cache-control': 'max-age=60' } },
      { url },
      null,
    ];
    for (const [i, response] of unreadable.entries()) {
      await store.set(url, { responses: [response as never] }, { ttl: 60_000 });
      const res = await f(url);
      assert.equal(await res.text(), `body ${i + 2}`, `record ${i}: from the network`);
      assert.equal(res.headers.get('cache-status'), 'fetchstack; fwd=miss; stored');
      const again = await f(url);
      assert.equal(await again.text(), `body ${i + 2}`, `record ${i}: replaced, then a hit`);
    }
  });

  test("a store's failure names the call's method and URL, its secrets redacted everywhere", async () => {
    const errors: CacheStoreError[] = [];
    // A store whose own errors quote the key, as a client library's often do.
    const fail = (op: string) => (key: string) => {
      throw new Error(`${op} failed for ${key}`);
    };
    const broken = { get: fail('get'), set: fail('set'), delete: fail('delete') };
    const f = wrap(fetch, cache({ store: broken, onStoreError: (e) => errors.push(e) }));
    const url = `${path('cc=max-age=60')}&access_token=s3cret`;
    await (await f(url)).text();
    await (await f(url, { method: 'POST', body: 'x' })).text();
    const redacted = url.replace('s3cret', '***');
    assert.deepEqual(
      errors.map((e) => [e.operation, e.method, e.url, e.key]),
      [
        ['get', 'GET', redacted, redacted],
        ['set', 'GET', redacted, redacted],
        ['delete', 'POST', redacted, redacted],
      ],
    );
    for (const error of errors) {
      assert.ok(isCacheStoreError(error));
      assert.equal(error.code, 'CACHE_STORE_FAILED');
      const texts = [error.message, JSON.stringify(error), (error.cause as Error).message];
      assert.doesNotMatch(texts.join('\n'), /s3cret/);
    }
  });

  test('bad options throw a TypeError naming the option', () => {
    assert.throws(() => cache({ store: {} as never }), /"store"/);
    assert.throws(() => new MemoryStore({ maxBytes: -1 }), /"maxBytes"/);
    assert.throws(() => cache({ maxBodySize: -1 }), /"maxBodySize"/);
    assert.throws(() => cache({ sharde: true } as never), /Did you mean "shared"/);
  });
});
