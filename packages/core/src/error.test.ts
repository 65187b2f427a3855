import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { FetchstackError, isErrorNamed, isFetchstackError } from './error.js';
import { describeCall } from './internal/describe.js';

class TimeoutLikeError extends FetchstackError {
  override name = 'TimeoutLikeError';
}

describe('FetchstackError', () => {
  test('carries its code, message and name, and is an Error', () => {
    const error = new FetchstackError('TIMEOUT', 'took too long');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'FetchstackError');
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.message, 'took too long');
    assert.equal(error.method, undefined);
    assert.equal(error.url, undefined);
    assert.equal('cause' in error, false, 'no cause unless one is given');
  });

  test('reads the method and URL of the request, credentials removed', () => {
    const error = new FetchstackError('RETRIES_EXHAUSTED', 'gave up', {
      at: describeCall('https://user:pa55@example.com/a?api_key=k&page=2', { method: 'post' }),
    });
    assert.equal(error.method, 'POST');
    assert.equal(error.url, 'https://***:***@example.com/a?api_key=***&page=2');
    const fromRequest = new FetchstackError('TIMEOUT', 'x', {
      at: describeCall(new Request('https://example.com/r', { method: 'DELETE' })),
    });
    assert.equal(fromRequest.method, 'DELETE');
    assert.equal(fromRequest.url, 'https://example.com/r');
  });

  test('takes the method and URL as given with `at`, and keeps the cause, even undefined', () => {
    const cause = new TypeError('fetch failed');
    const error = new FetchstackError('CONNECT_TIMEOUT', 'x', {
      at: { method: 'GET', url: 'https://example.com/' },
      cause,
    });
    assert.equal(error.method, 'GET');
    assert.equal(error.url, 'https://example.com/');
    assert.equal(error.cause, cause);
    const explicit = new FetchstackError('TIMEOUT', 'x', { cause: undefined });
    assert.equal('cause' in explicit, true);
  });

  test('a subclass keeps its own name and is recognised by both guards', () => {
    const error = new TimeoutLikeError('TIMEOUT', 'x');
    assert.equal(error.name, 'TimeoutLikeError');
    assert.equal(isFetchstackError(error), true);
    assert.equal(isErrorNamed<TimeoutLikeError>(error, 'TimeoutLikeError'), true);
    assert.equal(isErrorNamed(error, 'RetryError'), false);
  });
});

describe('isFetchstackError', () => {
  test('false for errors that only look alike: a plain Error, a code, a name', () => {
    assert.equal(isFetchstackError(new Error('x')), false);
    assert.equal(isFetchstackError(Object.assign(new Error('x'), { code: 'TIMEOUT' })), false);
    const named = new Error('x');
    named.name = 'FetchstackError';
    assert.equal(isFetchstackError(named), false);
    assert.equal(isErrorNamed(named, 'FetchstackError'), false);
    for (const value of [null, undefined, 'TIMEOUT', 42, {}])
      assert.equal(isFetchstackError(value), false);
  });

  test('true for an error made by another copy of the class in another realm', () => {
    // Another realm (as an iframe, a worker bundle or a second copy of the package would be):
    // its own Error and its own class, sharing only the registered brand symbol.
    const foreign = runInNewContext(`
      const brand = Symbol.for('fetchstack.error');
      class FetchstackError extends Error {
        constructor(code, message) { super(message); this.code = code; this.name = 'TimeoutError'; }
        get [brand]() { return true; }
      }
      new FetchstackError('TIMEOUT', 'from elsewhere');
    `) as unknown;
    assert.equal(foreign instanceof Error, false, 'the realm is really another one');
    assert.equal(foreign instanceof FetchstackError, false);
    assert.equal(isFetchstackError(foreign), true);
    assert.equal(isErrorNamed(foreign, 'TimeoutError'), true);
    assert.equal(isErrorNamed(foreign, 'RetryError'), false);
  });

  test('false for a branded object without a string code', () => {
    const branded = { [Symbol.for('fetchstack.error')]: true, code: 7 };
    assert.equal(isFetchstackError(branded), false);
  });
});
