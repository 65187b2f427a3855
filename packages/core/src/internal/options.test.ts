import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertKnownKeys, assertNumber, assertOptionsObject } from './options.js';
import { describeValue, isPlainRecord } from './values.js';

describe('describeValue', () => {
  test('says what a value is, in the words of an error message', () => {
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue(undefined), 'undefined');
    assert.equal(describeValue([1, 2]), 'an array');
    assert.equal(describeValue('5s'), 'the string "5s"');
    assert.equal(describeValue(42), 'number 42');
    assert.equal(describeValue(Number.NaN), 'number NaN');
    assert.equal(describeValue(false), 'boolean false');
    assert.equal(describeValue(10n), 'bigint 10');
    assert.equal(
      describeValue(() => {}),
      'a function',
    );
    assert.equal(describeValue({ a: 1 }), 'an object');
    assert.equal(describeValue(new Headers()), 'an object');
    assert.equal(describeValue(Symbol('s')), 'an object');
  });

  test('shortens a long string to 40 characters and an ellipsis', () => {
    assert.equal(describeValue('x'.repeat(50)), `the string "${'x'.repeat(40)}…"`);
    assert.equal(describeValue('x'.repeat(40)), `the string "${'x'.repeat(40)}"`);
  });
});

describe('assertKnownKeys', () => {
  const known = ['retry', 'timeout', 'headers', 'cookies'];

  test('accepts known keys and no keys', () => {
    assertKnownKeys({ retry: 1, timeout: 2 }, known, 'createSession()');
    assertKnownKeys({}, known, 'createSession()');
  });

  test('names the unknown key, suggests the closest known one and lists them all', () => {
    assert.throws(() => assertKnownKeys({ retries: 3 }, known, 'createSession()'), {
      name: 'TypeError',
      message:
        'createSession(): unknown option "retries". Did you mean "retry"? Known options: retry, timeout, headers, cookies.',
    });
  });

  test('a typo of any kind finds its key: swapped letters, case, a missing letter', () => {
    const hint = (key: string) => {
      try {
        assertKnownKeys({ [key]: 1 }, known, 'f()');
      } catch (error) {
        return /Did you mean "([^"]+)"/.exec((error as Error).message)?.[1];
      }
      return 'no error';
    };
    assert.equal(hint('timoeut'), 'timeout');
    assert.equal(hint('Headers'), 'headers');
    assert.equal(hint('cookie'), 'cookies');
    assert.equal(hint('retires'), 'retry');
  });

  test('gives no hint when nothing is close', () => {
    assert.throws(() => assertKnownKeys({ proxy: 1 }, known, 'f()'), {
      message: 'f(): unknown option "proxy". Known options: retry, timeout, headers, cookies.',
    });
  });
});

describe('assertOptionsObject', () => {
  test('accepts an object or undefined', () => {
    assertOptionsObject(undefined, 'retry()');
    assertOptionsObject({}, 'retry()');
  });

  test('throws a TypeError saying what was passed instead', () => {
    assert.throws(() => assertOptionsObject(3, 'retry()'), {
      name: 'TypeError',
      message: 'retry(): options must be an object, got number 3.',
    });
    assert.throws(() => assertOptionsObject(null, 'retry()'), /got null\.$/);
    assert.throws(() => assertOptionsObject([], 'retry()'), /got an array\.$/);
  });
});

describe('assertNumber', () => {
  test('accepts undefined and finite numbers at or above the minimum', () => {
    assertNumber(undefined, 'limit', 'retry()');
    assertNumber(0, 'limit', 'retry()');
    assertNumber(2.5, 'factor', 'retry()', { min: 1 });
  });

  test('names the option, the rule and the value', () => {
    assert.throws(() => assertNumber('5s', 'ms', 'timeout()', { unit: 'ms' }), {
      name: 'TypeError',
      message: 'timeout(): "ms" must be a number of ms >= 0, got the string "5s".',
    });
    assert.throws(
      () => assertNumber(1.5, 'limit', 'retry()', { integer: true }),
      /"limit" must be an integer >= 0, got number 1.5\./,
    );
    assert.throws(() => assertNumber(-1, 'limit', 'retry()'), /got number -1\./);
    assert.throws(
      () => assertNumber(Number.POSITIVE_INFINITY, 'limit', 'retry()'),
      /got number Infinity\./,
    );
  });
});

describe('isPlainRecord', () => {
  test('true for object literals and null-prototype objects only', () => {
    assert.equal(isPlainRecord({}), true);
    assert.equal(isPlainRecord(Object.create(null)), true);
    assert.equal(isPlainRecord([]), false);
    assert.equal(isPlainRecord(new Headers()), false);
    assert.equal(isPlainRecord(new Map()), false);
    assert.equal(isPlainRecord(null), false);
    assert.equal(isPlainRecord('a'), false);
  });
});
