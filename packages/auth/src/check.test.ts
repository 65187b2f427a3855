import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthError, basicAuth, bearerAuth, digestAuth, isAuthError } from './index.js';

/** The message of the TypeError `make` throws. */
function messageOf(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    assert.ok(error instanceof TypeError, `a TypeError, got ${error}`);
    return error.message;
  }
  assert.fail('did not throw');
}

const bad = (f: unknown) => f as (...args: unknown[]) => unknown;

describe('creation-time checks', () => {
  test('each names the argument or option and what it must be', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => bad(basicAuth)(), /^basicAuth\(user, pass\): user must be a string; got undefined\.$/],
      [() => basicAuth('a:b', 'p'), /^basicAuth\(user, pass\): user must not contain ":"/],
      [
        () => bad(basicAuth)('u', 5),
        /^basicAuth\(user, pass\): pass must be a string \(use '' for none\); got number\.$/,
      ],
      [
        () => basicAuth('u', 'p\n'),
        /^basicAuth\(user, pass\): user and pass must not contain CR, LF or NUL\.$/,
      ],
      [
        () => digestAuth('', 'p'),
        /^digestAuth\(user, pass\): user must be a non-empty string; got an empty string\.$/,
      ],
      [
        () => bad(digestAuth)('u', null),
        /^digestAuth\(user, pass\): pass must be a string .*; got null\.$/,
      ],
      [
        () => bad(bearerAuth)([]),
        /^bearerAuth\(token\): token must be a string or a function returning one \(sync or async\); a token is non-empty, without CR, LF or NUL \(empty only with options\.refresh\); got an array\.$/,
      ],
      [() => bearerAuth('a\r\nb'), /; got a string with CR, LF or NUL\.$/],
      [
        () => bad(bearerAuth)('t', 5),
        /^bearerAuth\(token, options\): options must be an object; got number\.$/,
      ],
      [
        () => bad(basicAuth)('u', 'p', null),
        /^basicAuth\(user, pass, options\): options must be an object; got null\.$/,
      ],
      [
        () => bad(bearerAuth)('t', { refesh: () => 't' }),
        /^bearerAuth\(token, options\): unknown option "refesh"\. Known options: refresh, origins, shared\.$/,
      ],
      [
        () => bad(digestAuth)('u', 'p', { refresh: () => 't' }),
        /^digestAuth\(user, pass, options\): unknown option "refresh"\..* Known options: origins\.$/,
      ],
      [
        () => bad(bearerAuth)('t', { refresh: 'soon' }),
        /^bearerAuth\(token, options\): options\.refresh must be a function returning the new token; got string\.$/,
      ],
      [
        () => bad(bearerAuth)('t', { shared: {} }),
        /^bearerAuth\(token, options\): options\.shared must be a shared token \(redisStore\.tokens\(\)\); got object\.$/,
      ],
      [
        () => bad(basicAuth)('u', 'p', { origins: 'https://a.example' }),
        /^basicAuth\(user, pass, options\): options\.origins must be an array, each an origin like 'https:\/\/api\.example\.com' .*, or a function \(url\) => boolean; got string\.$/,
      ],
    ];
    for (const [make, expected] of cases) assert.match(messageOf(make), expected);
  });

  test('origins: an origin (any spelling of one) is accepted, anything more is refused', () => {
    for (const origin of [
      'https://a.example',
      'https://a.example/',
      'HTTPS://A.EXAMPLE:443',
      'http://127.0.0.1:8080',
      'http://[::1]:8080/',
    ]) {
      basicAuth('u', 'p', { origins: [origin] });
    }
    const refused: [unknown, string][] = [
      ['https://a.example/api', 'a URL that is more than an origin'],
      ['https://a.example/?q=1', 'a URL that is more than an origin'],
      ['https://a.example/#top', 'a URL that is more than an origin'],
      ['https://user:pw@a.example', 'a URL that is more than an origin'],
      ['file:///etc/hosts', 'a URL that is more than an origin'],
      ['data:text/plain,x', 'a URL that is more than an origin'],
      ['a.example', 'a string that is not an absolute URL'],
      [new URL('https://a.example'), 'object'],
      [42, 'number'],
    ];
    for (const [entry, got] of refused) {
      const message = messageOf(() =>
        digestAuth('u', 'p', { origins: ['https://ok.example', entry as string] }),
      );
      assert.ok(
        message.startsWith(
          "digestAuth(user, pass, options): options.origins[1] must be an origin like 'https://api.example.com' (scheme, host and port: no credentials, path, query or fragment; scope by path with a predicate); got ",
        ),
        message,
      );
      assert.ok(message.endsWith(`; got ${got}.`), message);
      assert.doesNotMatch(message, /pw|q=1/);
    }
  });

  test('no credential, nor any other string or number given, is ever in a message', () => {
    const secret = 'hunter2-secret';
    const messages = [
      messageOf(() => bad(basicAuth)(7357, secret)),
      messageOf(() => bad(basicAuth)('user', 7357)),
      messageOf(() => basicAuth('user', `${secret}\r\n`)),
      messageOf(() => basicAuth(`us:er`, secret)),
      messageOf(() => digestAuth('user', `${secret}\0`)),
      messageOf(() => bad(digestAuth)('user', secret, secret)),
      messageOf(() => bearerAuth(`${secret}\n`)),
      messageOf(() => bad(bearerAuth)('user', secret)),
      messageOf(() => bad(bearerAuth)(secret, { refresh: secret })),
      messageOf(() => bad(bearerAuth)(secret, { shared: secret })),
      messageOf(() => bad(bearerAuth)(secret, { origins: [`https://a.example/?key=${secret}`] })),
      messageOf(() => bad(bearerAuth)(secret, { origins: [`https://u:${secret}@a.example`] })),
    ];
    for (const message of messages) assert.doesNotMatch(message, /hunter2|7357/, message);
  });

  test('options are read once, when the layer is made', () => {
    const opts = { origins: ['https://a.example'] as string[] };
    const layer = basicAuth('u', 'p', opts);
    opts.origins = ['not checked'];
    assert.equal(typeof layer, 'function');
  });
});

describe('AuthError', () => {
  test('its message starts with the request it is about; method, url, response and cause are kept', () => {
    const response = new Response(null, { status: 401 });
    const cause = new Error('why');
    const error = new AuthError('bearerAuth: what to change.', {
      code: 'BAD_TOKEN',
      at: { method: 'GET', url: 'https://a.example/' },
      response,
      cause,
    });
    assert.equal(error.message, 'GET https://a.example/: bearerAuth: what to change.');
    assert.equal(error.name, 'AuthError');
    assert.equal(error.code, 'BAD_TOKEN');
    assert.equal(error.method, 'GET');
    assert.equal(error.url, 'https://a.example/');
    assert.equal(error.response, response);
    assert.equal(error.cause, cause);
    assert.ok(isAuthError(error));
    const plain = new AuthError('x', { code: 'BAD_TOKEN', at: { method: 'GET', url: 'u' } });
    assert.equal('cause' in plain, false);
    assert.equal(plain.response, undefined);
  });
});
