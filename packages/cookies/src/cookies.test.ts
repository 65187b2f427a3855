import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trip } from '@fetchstack/core/internal';
import { MemoryCookieStore, CookieJar as ToughCookieJar } from 'tough-cookie';
import { cookies, isEmptyMemoryJar, mergeCookies } from './cookies.js';
import { CookieJar } from './jar.js';

test('mergeCookies: the call’s cookies first, then the jar’s whose names the call did not set', () => {
  assert.equal(mergeCookies(undefined, 'a=1; b=2'), 'a=1; b=2');
  assert.equal(mergeCookies('', 'a=1'), 'a=1');
  assert.equal(mergeCookies('b=mine', 'a=1; b=2; c=3'), 'b=mine; a=1; c=3');
  assert.equal(mergeCookies('a=x;b=y', 'a=1; b=2'), 'a=x;b=y', 'nothing left to add');
  assert.equal(mergeCookies(' a = x ', 'a=1; d=4'), ' a = x ; d=4', 'names compared trimmed');
});

test('isEmptyMemoryJar: true only for a memory-store jar that certainly holds nothing', async () => {
  const jar = new CookieJar();
  assert.equal(isEmptyMemoryJar(jar), true, 'a fresh jar');
  assert.equal(isEmptyMemoryJar(new ToughCookieJar()), true, 'a tough-cookie jar on its own store');
  await jar.set('a', '1', { domain: 'example.com' });
  assert.equal(isEmptyMemoryJar(jar), false, 'after set()');
  await jar.delete('a');
  assert.equal((await jar.all()).length, 0);
  assert.equal(isEmptyMemoryJar(jar), false, 'removed one by one: empty entries remain, so ask');
  await jar.clear();
  assert.equal(isEmptyMemoryJar(jar), true, 'after clear()');
  await jar.setCookie('b=2', 'https://example.com/');
  assert.equal(isEmptyMemoryJar(jar), false, 'after a Set-Cookie');
  // Any other store may change under us (shared, remote, custom): never assumed empty.
  class OtherStore extends MemoryCookieStore {}
  assert.equal(isEmptyMemoryJar(new CookieJar(new OtherStore())), false, 'a store subclass');
  const shared = new MemoryCookieStore();
  const viaStore = new CookieJar(Object.create(shared) as MemoryCookieStore);
  assert.equal(isEmptyMemoryJar(viaStore), false, 'an object that only inherits a memory store');
});

test('all() without a URL leaves out a Max-Age cookie past its age, as a request would', async () => {
  const jar = new CookieJar();
  await jar.setCookie('short=1; Max-Age=60', 'https://example.com/');
  await jar.setCookie('long=1; Max-Age=3600', 'https://example.com/');
  assert.deepEqual(
    (await jar.all()).map((c) => c.key),
    ['short', 'long'],
  );
  // Stored two minutes ago (the store hands out the cookie it keeps).
  const [short] = (await jar.store.getAllCookies()).filter((c) => c.key === 'short');
  short!.lastAccessed = short!.creation = new Date(Date.now() - 120_000);
  assert.deepEqual(
    (await jar.all()).map((c) => c.key),
    ['long'],
  );
  assert.deepEqual(
    (await jar.all('https://example.com/')).map((c) => c.key),
    ['long'],
  );
});

test('set() stores an international domain in the form a request’s host is compared in', async () => {
  const jar = new CookieJar();
  const stored = await jar.set('d', '1', { domain: 'bücher.example' });
  assert.equal(stored.domain, 'xn--bcher-kva.example');
  assert.equal((await jar.get('d', 'https://bücher.example/'))?.value, '1');
  await assert.rejects(jar.set('d', '1', { domain: 'bü cher' }), TypeError);
});

test('CookieJar#set and #get: the mistakes of a first try are named', async () => {
  const jar = new CookieJar();
  await assert.rejects(
    jar.set('k', 'v', { domain: 'example.com', expires: (Date.now() + 1000) as unknown as Date }),
    { name: 'TypeError', message: /options\.expires must be a valid Date.*options\.maxAge/ },
  );
  await assert.rejects(
    jar.set('k', 'v', { domain: 'example.com', expires: 'tomorrow' as unknown as Date }),
    /options\.expires must be a valid Date/,
  );
  await assert.rejects(
    jar.set('k', 'v', { domain: 'example.com', maxAge: '60' as unknown as number }),
    /options\.maxAge must be a number of seconds/,
  );
  for (const domain of ['127.0.0.1:8765', 'https://example.com', 'example.com/path']) {
    await assert.rejects(
      jar.set('k', 'v', { domain }),
      /options\.domain must be a host name without scheme, port or path/,
      domain,
    );
  }
  // A misspelt or mistyped flag would store a cookie that goes over plain HTTP: refused.
  const misspelt = [
    [{ secur: true }, /unknown option "secur"\. Did you mean "secure"\?/],
    [{ Secure: true }, /unknown option "Secure"\. Did you mean "secure"\?/],
    [{ secure: 'true' }, /options\.secure must be true or false, got the string "true"/],
    [{ httpOnly: 1 }, /options\.httpOnly must be true or false, got number 1/],
    [{ sameSite: 'relaxed' }, /options\.sameSite must be 'strict', 'lax' or 'none'/],
  ] as const;
  for (const [extra, message] of misspelt) {
    await assert.rejects(
      jar.set('k', 'v', { domain: 'example.com', ...extra } as never),
      { name: 'TypeError', message },
      JSON.stringify(extra),
    );
  }
  await assert.rejects(jar.set('k', 'v', 'example.com' as never), /options must be an object/);
  assert.equal(await jar.get('k', 'http://example.com/'), undefined, 'nothing was stored');
  // sameSite is read as a Set-Cookie attribute is: in any case.
  assert.equal(
    (await jar.set('s', '1', { domain: 'example.com', sameSite: 'Lax' as never })).sameSite,
    'lax',
  );
  // A misspelt delete would have removed the cookie from every domain.
  await jar.set('k', 'v', { domain: 'example.com' });
  await assert.rejects(jar.delete('k', { domian: 'other.example' } as never), {
    name: 'TypeError',
    message: /CookieJar#delete: unknown option "domian"\. Did you mean "domain"\?/,
  });
  await assert.rejects(jar.delete('k', { path: 1 } as never), /options\.path must be a string/);
  assert.equal((await jar.get('k', 'http://example.com/'))?.value, 'v', 'still there');
  await jar.delete('s');
  await assert.rejects(
    jar.get('k', undefined as unknown as string),
    /CookieJar#get\("k"\): pass the absolute URL of a request/,
  );
  await assert.rejects(jar.get('k', '/relative'), /got "\/relative"/);
  // What still works: an IPv6 host, an expires Date, maxAge.
  await jar.set('a', '1', { domain: '::1' });
  await jar.set('b', '2', { domain: 'example.com', expires: new Date(Date.now() + 60_000) });
  await jar.set('c', '3', { domain: 'example.com', maxAge: 60 });
  assert.equal((await jar.get('b', 'http://example.com/'))?.value, '2');
  assert.equal((await jar.get('c', 'http://example.com/'))?.value, '3');
  assert.equal((await jar.get('a', 'http://[::1]/'))?.value, '1');
});

test('set() and delete() take a domain the same way: an international name, a URL’s IPv6 hostname', async () => {
  const jar = new CookieJar();
  await jar.set('d', '1', { domain: 'bücher.example' });
  assert.equal(
    await jar.delete('d', { domain: 'bücher.example' }),
    1,
    'the domain set() was given',
  );
  // `new URL('http://[::1]:8080/').hostname` is '[::1]': taken as the address it names.
  const hostname = new URL('http://[::1]:8080/').hostname;
  const stored = await jar.set('v6', '1', { domain: hostname });
  assert.equal(stored.domain, '::1');
  assert.equal((await jar.get('v6', 'http://[::1]:8080/'))?.value, '1');
  assert.equal(await jar.delete('v6', { domain: hostname }), 1);
  assert.equal((await jar.all()).length, 0);
  await assert.rejects(
    jar.delete('d', { domain: 'https://example.com' }),
    /CookieJar#delete: options\.domain must be a host name without scheme, port or path/,
  );
  await assert.rejects(jar.set('k', 'v', { domain: '[example.com]' }), /options\.domain must be/);
  // A URL given where a domain goes is not repeated with its credentials.
  await assert.rejects(
    jar.set('k', 'v', { domain: 'https://u:SECRET@example.com/?token=SECRET' }),
    {
      message:
        /options\.domain must be a host name.*got "https:\/\/\*\*\*:\*\*\*@example\.com\/\?token=\*\*\*"/,
    },
  );
});

test('all(url) names what it needs when the URL is not absolute', async () => {
  const jar = new CookieJar();
  await assert.rejects(jar.all('/relative'), {
    name: 'TypeError',
    message: /CookieJar#all\(url\): pass the absolute URL of a request.*got "\/relative"/,
  });
  assert.deepEqual(await jar.all(new URL('https://example.com/')), []);
  // A URL without its scheme may still carry a token or a password: not repeated.
  for (const url of ['api.example.com/?access_token=SECRET', '//user:SECRET@api.example.com/']) {
    for (const call of [() => jar.all(url), () => jar.get('k', url)]) {
      await assert.rejects(call(), (error: Error) => {
        assert.match(error.message, /pass the absolute URL/);
        assert.doesNotMatch(error.message, /SECRET/);
        return true;
      });
    }
  }
});

test('fromJSON: what is not a saved jar is a TypeError saying what to pass, never quoting it', async () => {
  const saved = JSON.stringify(
    await (async () => {
      const jar = new CookieJar();
      await jar.set('sid', 'SECRET-VALUE', { domain: 'example.com' });
      return jar;
    })(),
  );
  const bad: [unknown, string][] = [
    ['sid=SECRET-VALUE', 'a string that is not JSON'],
    [saved.slice(0, -10), 'a string that is not JSON'],
    [saved.replaceAll('"', "'"), 'a string that is not JSON'],
    ['', 'an empty string'],
    [null, 'null'],
    [undefined, 'undefined'],
    ['{}', 'JSON of an object without a "cookies" array'],
    ['null', 'JSON of null'],
    [{ cookies: 'SECRET-VALUE' }, 'an object without a "cookies" array'],
    [42, 'a number'],
  ];
  for (const [json, got] of bad) {
    assert.throws(
      () => CookieJar.fromJSON(json as string),
      (error: Error) => {
        assert.equal(error.name, 'TypeError');
        assert.match(
          error.message,
          /^CookieJar\.fromJSON\(json\): json must be what JSON\.stringify\(jar\)/,
        );
        assert.ok(error.message.endsWith(`got ${got}.`), `${error.message} for ${String(json)}`);
        assert.doesNotMatch(error.message, /SECRET/);
        return true;
      },
    );
  }
  assert.equal(
    (await CookieJar.fromJSON(saved).get('sid', 'https://example.com/'))?.value,
    'SECRET-VALUE',
  );
  assert.equal((await CookieJar.fromJSON(JSON.parse(saved)).all()).length, 1);
});

test('cookies: the headers a session merged for this try (`trip`) take the cookie in place; any other headers are copied', async () => {
  const jar = new CookieJar();
  await jar.set('sid', 'abc', { domain: 'example.com' });
  const received: (RequestInit | undefined)[] = [];
  const f = cookies({ jar })(async (_input, init) => {
    received.push(init);
    return new Response(null);
  });
  const url = 'https://example.com/';
  const merged = new Headers({ cookie: 'own=1', accept: '*/*' });
  const own: RequestInit = { redirect: 'manual', headers: merged };
  trip.init = own;
  trip.headers = merged;
  await f(url, own);
  trip.init = trip.headers = undefined;
  assert.equal(received[0], own);
  assert.equal(received[0]?.headers, merged);
  assert.equal(merged.get('cookie'), 'own=1; sid=abc');

  const callers = new Headers({ accept: '*/*' });
  await f(url, { headers: callers });
  assert.notEqual(received[1]?.headers, callers);
  assert.equal(callers.get('cookie'), null);
  assert.equal(new Headers(received[1]?.headers).get('cookie'), 'sid=abc');
});
