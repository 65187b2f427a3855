import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renameMessage } from './layers/layer.js';
import { type RetryOption, retryOptions } from './layers/retry.js';
import { readTimeout, type TimeoutOption, timeoutOver } from './layers/timeout.js';
import { createSession } from './lean.js';
import {
  checkCallOptions,
  checkMountOptions,
  checkSessionOptions,
  parsePrefix,
} from './options.js';

const where = 'createSession()';
/** A value of the wrong type, as JavaScript callers may pass. */
const junk: unknown = '5s';

describe('checkSessionOptions', () => {
  test('an unknown option is a TypeError with a did-you-mean', () => {
    assert.throws(() => checkSessionOptions({ retires: 3 }, where), {
      name: 'TypeError',
      message: /^createSession\(\): unknown option "retires"\. Did you mean "retry"\?/,
    });
  });

  test('options must be an object; middleware an array of functions; fetch a function', () => {
    assert.throws(() => checkSessionOptions('x', where), /options must be an object/);
    assert.throws(
      () => checkSessionOptions({ middleware: [1] }, where),
      /"middleware\[0\]" must be a layer/,
    );
    assert.throws(
      () => checkSessionOptions({ fetch: 1 }, where),
      /"fetch" must be a fetch function/,
    );
    assert.deepEqual(checkSessionOptions(undefined, where), {});
  });
});

describe('the store option', () => {
  const limitStore = {
    acquireSlot: async () => ({ lease: 'l' }),
    releaseSlot: async () => {},
  };
  const cacheStore = { get() {}, set() {}, delete() {} };

  test('a store with any part it knows is taken as it is', () => {
    const store = { ...limitStore, cache: cacheStore };
    assert.equal(checkSessionOptions({ store }, where).store, store);
    checkSessionOptions({ store: limitStore }, where);
    checkSessionOptions({ store: { cache: cacheStore } }, where);
    // A class instance (methods on its prototype) is a store too.
    class Store {
      async acquireSlot() {
        return { retryIn: 1 };
      }
      async releaseSlot() {}
    }
    checkSessionOptions({ store: new Store() }, where);
  });

  test('an empty object, a URL string or a half store is a TypeError naming "store" and what to pass', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /"store" must be a store from createRedisStore\(\).*got an object with none of/],
      ['redis://127.0.0.1:6379', /"store" must be a store from createRedisStore\(\).*not the URL/],
      [null, /"store" must be a store from createRedisStore\(\).*got null/],
      [[limitStore], /"store" must be a store.*got an array/],
      [
        { acquireSlot: limitStore.acquireSlot },
        /"store": "acquireSlot" and "releaseSlot" must both be functions/,
      ],
      [{ cache: {} }, /"store": "cache" must be a cache store/],
    ];
    // A Redis URL passed as the store: its password is not repeated.
    cases.push(['redis://default:s3cret@10.0.0.5:6379', /^(?!.*s3cret).*not the URL/]);
    for (const [store, message] of cases) {
      assert.throws(
        () => createSession({ store: store as never }),
        (e: unknown) =>
          e instanceof TypeError &&
          /^createSession\(\): /.test(e.message) &&
          message.test(e.message),
        String(JSON.stringify(store)),
      );
    }
  });

  test('a mount cannot set the store', () => {
    assert.throws(() => checkMountOptions({ store: limitStore }, 'm'), /unknown option "store"/);
  });

  test('limit: { concurrency: 0 } and a limit store that is not one throw at creation', () => {
    assert.throws(() => createSession({ limit: { concurrency: 0 } }), {
      name: 'TypeError',
      message: /^createSession\(\): "limit.concurrency" must be an integer >= 1/,
    });
    assert.throws(() => createSession({ store: limitStore, limit: { concurrency: 0 } }), {
      name: 'TypeError',
      message: /"limit.concurrency"/,
    });
  });

  test('cookies that are neither true, false nor a jar: the message says what the option takes', () => {
    for (const [value, got] of [
      ['yes', 'the string "yes"'],
      [{}, 'an object'],
      [1, 'number 1'],
    ] as const) {
      assert.throws(() => createSession({ cookies: value as never }), {
        name: 'TypeError',
        message: `createSession(): "cookies" must be true, false or a CookieJar (from @fetchstack/cookies or tough-cookie); got ${got}.`,
      });
    }
  });

  test('the session store takes the slots of the limit, the limit’s own store wins', async () => {
    const asked: string[] = [];
    const fleet = {
      acquireSlot: async (key: string) => {
        asked.push(`fleet ${key}`);
        return { lease: 'f' };
      },
      releaseSlot: async () => {},
    };
    const own = {
      acquireSlot: async (key: string) => {
        asked.push(`own ${key}`);
        return { lease: 'o' };
      },
      releaseSlot: async () => {},
    };
    const ok = async () => new Response('ok');
    const a = createSession({ store: fleet, limit: { concurrency: 1 }, fetch: ok, cookies: false });
    await a('https://a.example/x');
    const b = createSession({
      store: fleet,
      limit: { concurrency: 1, store: own },
      fetch: ok,
      cookies: false,
    });
    await b('https://b.example/x');
    // Without limit the store's slots are not asked for.
    const c = createSession({ store: fleet, fetch: ok, cookies: false });
    await c('https://c.example/x');
    assert.deepEqual(asked, ['fleet https://a.example', 'own https://b.example']);
  });

  test('the retry budget is the store’s: the default options, or the ones given to retry', async () => {
    const asked: unknown[] = [];
    const counts = { deposit: 0, withdraw: 0 };
    const store = {
      retryBudget(options: { ratio: number; windowMs: number; minPerSecond: number }) {
        asked.push(options);
        return {
          ...options,
          deposit: () => {
            counts.deposit++;
          },
          tryWithdraw: () => {
            counts.withdraw++;
            return false;
          },
        };
      },
    };
    let sent = 0;
    const down = async () => {
      sent++;
      return new Response('down', { status: 503 });
    };
    const session = createSession({ store, fetch: down, cookies: false });
    assert.equal((await session('https://a.example/')).status, 503);
    assert.deepEqual(asked, [{ ratio: 0.2, windowMs: 10_000, minPerSecond: 10 }]);
    assert.deepEqual(counts, { deposit: 1, withdraw: 1 });
    assert.equal(sent, 1, 'the store’s budget said no: no retry');
    createSession({ store, retry: { budget: { ratio: 0.1 } }, fetch: down });
    assert.deepEqual(asked[2], { ratio: 0.1, windowMs: 10_000, minPerSecond: 10 });
    assert.throws(() => createSession({ store, retry: { budget: { ratio: -1 } } }), {
      name: 'TypeError',
      message: /^createSession\(\): "retry.budget.*ratio/,
    });
  });

  test('a cache without a store of its own uses store.cache', async () => {
    const kept = new Map<string, unknown>();
    const cacheStore = {
      get: (key: string) => kept.get(key) as never,
      set: (key: string, record: unknown) => {
        kept.set(key, record);
      },
      delete: (key: string) => {
        kept.delete(key);
      },
    };
    let sent = 0;
    const origin = async () => {
      sent++;
      return new Response('body', { headers: { 'cache-control': 'max-age=60' } });
    };
    const one = createSession({ store: { cache: cacheStore }, cache: true, fetch: origin });
    const two = createSession({ store: { cache: cacheStore }, cache: true, fetch: origin });
    assert.equal(await (await one('https://a.example/x')).text(), 'body');
    assert.equal(await (await two('https://a.example/x')).text(), 'body');
    assert.equal(sent, 1, 'the second session is answered from the shared store');
    assert.equal(kept.size, 1);
  });
});

describe('the auth option', () => {
  test('a string (a token put where a shape belongs) is refused without being shown', () => {
    const token = 'sk_live_51Hsecret-token-value';
    for (const make of [
      () => createSession({ auth: token as never, proxy: false }),
      () => createSession({ auth: { digest: `user:${token}` } as never, proxy: false }),
      () => {
        createSession({ proxy: false }).auth = token as never;
      },
    ]) {
      assert.throws(make, (error: Error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.ok(!error.message.includes('secret-token'), error.message);
        assert.match(error.message, /"?auth"?/);
        assert.match(error.message, /not shown: it may be a credential/);
        return true;
      });
    }
  });
});

describe('checkMountOptions and parsePrefix', () => {
  test('a mount takes only the keys its rows allow', () => {
    assert.throws(() => checkMountOptions({ cookies: false }, 'm'), /unknown option "cookies"/);
    assert.throws(() => checkMountOptions({ retries: 1 }, 'm'), /Did you mean "retry"/);
    assert.deepEqual(checkMountOptions({ retry: false }, 'm'), { retry: false });
  });

  test('prefixes: a scheme or an absolute URL, normalised as URL.href', () => {
    assert.equal(parsePrefix('HTTPS://', 'm'), 'https://');
    assert.equal(parsePrefix('https:', 'm'), 'https:');
    assert.equal(parsePrefix('https://Example.com/a/../v2/', 'm'), 'https://example.com/v2/');
    assert.throws(() => parsePrefix('api/', 'm'), /prefix must be a URL prefix/);
  });

  test("a mount's messages hide a user name and password in its prefix", async () => {
    const session = createSession({ proxy: false });
    for (const [prefix, options] of [
      ['http://ann:s3cret@[::1/', {}],
      ['http://ann:s3cret@host/', { retry: -1 }],
      ['https://ann:s3cret@host/v2/', { timeout: 'soon' }],
    ] as const) {
      assert.throws(
        () => session.mount(prefix, options as never),
        (e: unknown) =>
          e instanceof TypeError &&
          /^session\.mount\("[^"]*\*\*\*/.test(e.message) &&
          !e.message.includes('s3cret'),
        prefix,
      );
    }
    await session.close();
  });
});

describe('checkCallOptions (init.fetchstack)', () => {
  const at = 'fetch(input, init)';
  test('accepts retry and timeout with the values of the session options', () => {
    checkCallOptions(undefined, at);
    checkCallOptions({ retry: false, timeout: 1_000 }, at);
    checkCallOptions({ retry: { limit: 5, methods: ['POST'] }, timeout: { total: 5 } }, at);
  });

  test('an unknown key names it, with a did-you-mean', () => {
    assert.throws(() => checkCallOptions({ retyr: 1 }, at), {
      name: 'TypeError',
      message: /"fetchstack": unknown option "retyr"\. Did you mean "retry"\?/,
    });
  });

  test('cache is a key one call may set (the cache layer checks its value)', () => {
    checkCallOptions({ cache: false }, at);
    checkCallOptions({ cache: true, retry: false }, at);
  });

  test('not an object, or a connect timeout for one call, is a TypeError', () => {
    assert.throws(() => checkCallOptions(5, at), /"fetchstack" must be an object/);
    assert.throws(
      () => checkCallOptions({ timeout: { connect: 5 } }, at),
      /"fetchstack\.timeout": "connect" cannot change for one call/,
    );
  });
});

describe('option values', () => {
  test('timeout: a number is the total; an object keeps 30 s unless total is set; false is none', async () => {
    assert.deepEqual(readTimeout(undefined, where), {
      limits: { total: 30_000 },
      connect: undefined,
    });
    assert.deepEqual(readTimeout(500, where), { limits: { total: 500 }, connect: undefined });
    assert.deepEqual(readTimeout({ attempt: 100, connect: 50 }, where), {
      limits: { attempt: 100, total: 30_000 },
      connect: 50,
    });
    assert.deepEqual(readTimeout({ total: false }, where), {
      limits: undefined,
      connect: undefined,
    });
    assert.deepEqual(readTimeout(false, where), { limits: undefined, connect: undefined });
    // true is the default, as retry: true and cache: true are theirs; a mount's true, the session's.
    assert.deepEqual(readTimeout(true, where), { limits: { total: 30_000 }, connect: undefined });
    assert.deepEqual(timeoutOver({ total: 500, connect: 50 }, true), { total: 500 });
    assert.deepEqual(timeoutOver(false, true), { total: false });
    assert.deepEqual(readTimeout(timeoutOver(undefined, true), where).limits, { total: 30_000 });
    await createSession({ timeout: true, proxy: false })
      .mount('http://127.0.0.1:9/a/', { timeout: true })
      .close();
    assert.throws(
      () => readTimeout({ totl: 1 } as TimeoutOption, where),
      /"timeout": unknown option "totl"\. Did you mean "total"/,
    );
    assert.throws(
      () => readTimeout(junk as TimeoutOption, where),
      /"timeout" must be a number of ms/,
    );
  });

  test('timeout 0 ("none" in some clients) is refused with advice that works here: false', async () => {
    // Left out, a session's timeout is 30 s, and a call's is the session's: "leave it out"
    // would not give what the user asked for.
    for (const [value, name] of [
      [0, '"timeout.total"'],
      [{ total: 0 }, '"timeout.total"'],
      [{ attempt: 0 }, '"timeout.attempt"'],
    ] as const) {
      assert.throws(() => createSession({ timeout: value }), {
        name: 'TypeError',
        message: new RegExp(
          `^createSession\\(\\): ${name} must be a positive number .*got number 0\\. Pass false for no limit\\.$`,
        ),
      });
    }
    // One call's: checked when the call is made, which rejects before sending anything.
    const session = createSession({ proxy: false });
    await assert.rejects(session('http://127.0.0.1:9/', { fetchstack: { timeout: 0 } }), {
      name: 'TypeError',
      message: /"fetchstack\.timeout" must be a positive number .*Pass false for no limit\.$/,
    });
    await session.close();
  });

  test('retry: a number is the limit, true the defaults, objects merge over them; the budget is shared', () => {
    const budget = { ratio: 0.1 };
    assert.deepEqual(retryOptions(undefined, budget, where), { limit: 2, budget });
    assert.deepEqual(retryOptions(true, budget, where), { limit: 2, budget });
    assert.deepEqual(retryOptions(4, budget, where), { limit: 4, budget });
    assert.deepEqual(retryOptions({ limit: 1 }, budget, where), { budget, limit: 1 });
    assert.deepEqual(retryOptions({ budget: false }, budget, where), { budget: false });
    assert.equal(retryOptions(false, budget, where), undefined);
    assert.throws(
      () => retryOptions(junk as RetryOption, budget, where),
      /"retry" must be a number/,
    );
  });

  test("a wrapper's TypeError is reworded to name what the user called", () => {
    assert.equal(
      renameMessage('retry(): "limit" must be an integer >= 0; got number -1.', where, 'retry'),
      'createSession(): "retry.limit" must be an integer >= 0; got number -1.',
    );
    assert.equal(
      renameMessage('retry(): "backoff": unknown option "x".', where, 'retry'),
      'createSession(): "retry.backoff": unknown option "x".',
    );
    assert.equal(
      renameMessage('cookies(options): jar must be a CookieJar.', where, 'cookies'),
      'createSession(): "cookies": jar must be a CookieJar.',
    );
    assert.equal(
      renameMessage('createTransport(): tls.ca must be a PEM certificate.', where, ''),
      'createSession(): tls.ca must be a PEM certificate.',
    );
    assert.equal(
      renameMessage('createTransport() tls: unknown option "x".', where, ''),
      'createSession(): "tls": unknown option "x".',
    );
  });
});

describe('the headers option', () => {
  test('a value outside Latin-1 or a bad name is a TypeError naming "headers" and what to change', () => {
    for (const headers of [{ 'X-Price': '10 €' }, { 'X A': 'v' }]) {
      assert.throws(
        () => createSession({ headers }),
        (error: Error) => {
          assert.equal(error.name, 'TypeError');
          assert.match(
            error.message,
            /^createSession\(\): "headers" must be .*names tokens and values Latin-1 text without CR, LF or NUL \(percent-encode other characters\): \S/,
          );
          assert.doesNotMatch(error.message, /\.\./);
          return true;
        },
      );
    }
  });
});
