import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyFor, resolveOptions } from './options.js';

const where = 'createTransport()';
const resolve = (options: Parameters<typeof resolveOptions>[0]) => resolveOptions(options, where);
/** For shapes the types refuse: what a caller without TypeScript could pass. */
const resolveUnchecked = (options: unknown) =>
  resolveOptions(options as Parameters<typeof resolveOptions>[0], where);
const routeOf = (options: Parameters<typeof resolveOptions>[0], url: string) =>
  proxyFor(resolve(options).routes, new URL(url))?.href;

test('proxy: a string and a URL route alike, for both schemes', () => {
  for (const proxy of ['http://proxy.test:3128', new URL('http://proxy.test:3128')]) {
    assert.equal(routeOf({ proxy }, 'http://a.test/'), 'http://proxy.test:3128/');
    assert.equal(routeOf({ proxy }, 'https://a.test/'), 'http://proxy.test:3128/');
  }
});

test('proxy: { http, https } of strings or URLs, per scheme; noProxy as a string or an array', () => {
  const options = {
    proxy: {
      http: new URL('http://h.test:1'),
      https: 'https://user:pw@s.test:2',
      noProxy: ['direct.test'],
    },
  };
  assert.equal(routeOf(options, 'http://a.test/'), 'http://h.test:1/');
  assert.equal(routeOf(options, 'https://a.test/'), 'https://user:pw@s.test:2/');
  assert.equal(routeOf(options, 'https://direct.test/'), undefined);
  assert.equal(routeOf({ proxy: { https: 'http://s.test:2' } }, 'http://a.test/'), undefined);
  assert.equal(
    routeOf({ proxy: { http: 'h.test:3128', noProxy: 'a.test' } }, 'http://a.test/'),
    undefined,
  );
});

test("proxy: 'host:port' without a scheme means http://", () => {
  assert.equal(routeOf({ proxy: 'proxy.test:3128' }, 'http://a.test/'), 'http://proxy.test:3128/');
});

test("proxy: false and 'env' with nothing set send direct", () => {
  assert.equal(resolve({ proxy: false }).routes, undefined);
  const saved = { ...process.env };
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'])
    delete process.env[name];
  try {
    assert.equal(resolve({ proxy: 'env' }).routes, undefined);
    assert.equal(resolve(undefined).routes, undefined);
    process.env.HTTPS_PROXY = 'http://env.test:8080';
    process.env.NO_PROXY = 'skip.test';
    const routes = resolve({ proxy: 'env' }).routes;
    assert.equal(proxyFor(routes, new URL('https://a.test/'))?.host, 'env.test:8080');
    assert.equal(proxyFor(routes, new URL('http://a.test/')), undefined);
    assert.equal(proxyFor(routes, new URL('https://skip.test/')), undefined);
  } finally {
    process.env = saved;
  }
});

test('bad proxy shapes are a TypeError naming the option', () => {
  const bad: [unknown, RegExp][] = [
    ['ftp://proxy.test:21', /proxy has the scheme "ftp:"/],
    ['http://exa mple.test:3128', /proxy is not a URL/],
    [{ http: 'socks5://x:1' }, /proxy\.http/],
    [{ https: 42 }, /proxy\.https must be a proxy URL/],
    [{ htps: 'http://x:1' }, /Did you mean "https"/],
    [{ noProxy: 42 }, /noProxy/],
    [42, /proxy must be a proxy URL/],
    [new Map(), /proxy must be a proxy URL/],
    ['', /proxy must be a proxy URL/],
  ];
  for (const [proxy, message] of bad) {
    assert.throws(() => resolveUnchecked({ proxy }), { name: 'TypeError', message }, String(proxy));
  }
  assert.throws(
    () => resolve({ proxy: 'http://user:s3cret@exa mple.test:1' }),
    (e: Error) => {
      assert.doesNotMatch(e.message, /s3cret/);
      return e instanceof TypeError;
    },
  );
});

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

test('tls: ca is kept (added to the roots unless replaceRoots), checked as PEM', () => {
  assert.deepEqual(resolve({ tls: { ca: pem } }).tls, {
    rejectUnauthorized: true,
    replaceRoots: false,
    ca: [pem],
  });
  assert.equal(resolve({ tls: { ca: [pem, pem], replaceRoots: true } }).tls?.replaceRoots, true);
  assert.throws(() => resolve({ tls: { replaceRoots: true } }), /replaceRoots: true needs tls\.ca/);
  // An empty list trusts nothing in Node (every HTTPS request fails), the default roots in Bun.
  assert.throws(
    () => resolve({ tls: { ca: [], replaceRoots: true } }),
    /replaceRoots: true needs tls\.ca .*, and tls\.ca is an empty list/,
  );
  assert.deepEqual(resolve({ tls: { ca: [] } }).tls?.ca, []);
  assert.throws(() => resolve({ tls: { ca: 'nope' } }), /tls\.ca must be a PEM/);
  assert.throws(() => resolve({ tls: { ca: [pem, 'nope'] } }), /tls\.ca\[1\]/);
  assert.throws(() => resolve({ tls: { cert: pem } }), /tls\.key/);
  assert.throws(
    () => resolveUnchecked({ tls: { rejectUnauthorized: 'no' } }),
    /rejectUnauthorized/,
  );
  assert.throws(() => resolveUnchecked({ tls: { caa: pem } }), /Did you mean "ca"/);
});

test('pool and connect: checked numbers', () => {
  assert.equal(resolve({ pool: { connections: 4 } }).connections, 4);
  assert.equal(resolve({ connect: 250 }).connect, 250);
  for (const connections of [0, 1.5, -1, '2']) {
    assert.throws(() => resolveUnchecked({ pool: { connections } }), /pool\.connections/);
  }
  for (const connect of [0, -5, Number.NaN, '1s']) {
    assert.throws(() => resolveUnchecked({ connect }), /connect/);
  }
  // Longer than a timer can hold: Deno's and Bun's connect check would give up after 1 ms.
  assert.equal(resolve({ connect: 2 ** 31 - 1 }).connect, 2 ** 31 - 1);
  for (const connect of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
    assert.throws(() => resolve({ connect }), {
      name: 'TypeError',
      message: /^createTransport\(\): connect \(the connect timeout\) .*at most 2147483647/,
    });
  }
  assert.throws(() => resolveUnchecked({ prxy: 'x' }), /Did you mean "proxy"/);
});

test('tls: text that is not PEM is described by its length, never quoted; a file name is named', () => {
  const secret = 'my-api-key-0123456789abcdef0123456789abcdef';
  for (const tls of [{ ca: secret }, { ca: [secret] }, { cert: secret, key: secret }]) {
    assert.throws(
      () => resolve({ tls }),
      (error: Error) => {
        assert.match(error.message, /a string of 43 characters that is not PEM/);
        assert.doesNotMatch(error.message, /api-key|0123/);
        return true;
      },
    );
  }
  assert.throws(() => resolve({ tls: { ca: '/etc/ssl/company-ca.pem' } }), {
    message: /got the file name "\/etc\/ssl\/company-ca\.pem"\. Read the file as text/,
  });
  // A key given as a file name, or a certificate or key read as bytes (readFileSync without
  // 'utf8'): each message says what was given and what to change.
  assert.throws(() => resolve({ tls: { cert: pem, key: 'client.key' } }), {
    message: /tls\.key must be .*got the file name "client\.key"\. Read the file as text/,
  });
  const bytes = new TextEncoder().encode(pem);
  assert.throws(() => resolveUnchecked({ tls: { cert: bytes, key: bytes } }), {
    message: /tls\.cert must be .*got bytes \(Uint8Array\), not text\. Read the file as text/,
  });
  assert.throws(() => resolveUnchecked({ tls: { cert: pem, key: bytes } }), {
    message: /tls\.key must be .*got bytes \(Uint8Array\), not text\. Read the file as text/,
  });
  assert.throws(() => resolve({ tls: { cert: pem } }), { message: /tls\.key .*got nothing\.$/ });
});

test('proxy: a password with "/", "?" or "#" not percent-encoded is refused, and never shown', () => {
  for (const proxy of [
    'http://bob:hunter2/@proxy.test:3128',
    'http://bob:hunter2?@proxy.test:3128',
    'http://bob:hun#ter2@proxy.test:3128',
    'http://bob:hunter2/x@y@proxy.test:3128',
    // Digits only: parsed as host "bob", port 2024, and a path holding the rest.
    'http://bob:2024/@proxy.test:3128',
    'http://bob:2024?@proxy.test:3128',
    'bob:2024#@proxy.test:3128',
  ]) {
    for (const options of [{ proxy }, { proxy: { https: proxy } }]) {
      assert.throws(
        () => resolve(options),
        (error: Error) => {
          assert.ok(error instanceof TypeError);
          assert.doesNotMatch(error.message, /hunter2|hun#|2024/, error.message);
          assert.match(error.message, /percent-encoded/);
          assert.match(error.message, /\*\*\*@proxy\.test:3128/);
          return true;
        },
      );
    }
  }
  // Percent-encoded, the same password is fine.
  const encoded = `http://bob:${encodeURIComponent('hun/te?r#2')}@proxy.test:3128`;
  assert.equal(routeOf({ proxy: encoded }, 'http://a.test/'), `${encoded}/`);
});
