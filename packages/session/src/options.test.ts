import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renameMessage } from './layers/layer.js';
import { type RetryOption, retryOptions } from './layers/retry.js';
import { readTimeout, type TimeoutOption } from './layers/timeout.js';
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
    assert.throws(() => checkSessionOptions({ middleware: [1] }, where), /"middleware"\[0\]/);
    assert.throws(
      () => checkSessionOptions({ fetch: 1 }, where),
      /"fetch" must be a fetch function/,
    );
    assert.deepEqual(checkSessionOptions(undefined, where), {});
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
  test('timeout: a number is the total; an object keeps 30 s unless total is set; false is none', () => {
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
    assert.throws(
      () => readTimeout({ totl: 1 } as TimeoutOption, where),
      /"timeout": unknown option "totl"\. Did you mean "total"/,
    );
    assert.throws(
      () => readTimeout(junk as TimeoutOption, where),
      /"timeout" must be a number of ms/,
    );
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
