import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aFunction, is, type OptionTable, readOptions } from './option-table.js';

const table: OptionTable = {
  limit: [2, '', true],
  wait: [undefined, 'ms', false, 0, 1000],
  on: true,
  mode: is((v) => v === 'a' || v === 'b', "'a' or 'b'"),
  hook: aFunction,
  group: { size: [10, 'bytes', true, 1] },
};

describe('readOptions', () => {
  test('fills the defaults; a number without one stays out', () => {
    assert.deepEqual(readOptions(undefined, table, 'f()'), {
      limit: 2,
      wait: undefined,
      on: true,
      mode: undefined,
      hook: undefined,
      group: { size: 10 },
    });
    assert.deepEqual(readOptions({ wait: 5, on: false, group: { size: 3 } }, table, 'f()').group, {
      size: 3,
    });
  });

  test('names the option, what was wrong and what to change', () => {
    const bad = (options: unknown, message: string) =>
      assert.throws(() => readOptions(options, table, 'f()'), { name: 'TypeError', message });
    bad(3, 'f(): options must be an object, got number 3.');
    bad(
      { limt: 1 },
      'f(): unknown option "limt". Did you mean "limit"? Known options: limit, wait, on, mode, hook, group.',
    );
    bad({ limit: 1.5 }, 'f(): "limit" must be an integer >= 0, got number 1.5.');
    bad({ wait: 2000 }, 'f(): "wait" must be at most 1000 ms; got number 2000.');
    bad({ on: 'yes' }, 'f(): "on" must be true or false; got the string "yes".');
    bad({ mode: 'c' }, `f(): "mode" must be 'a' or 'b'; got the string "c".`);
    bad({ hook: 1 }, 'f(): "hook" must be a function; got number 1.');
    bad(
      { group: { size: 0 } },
      'f(): "group.size" must be an integer of bytes >= 1, got number 0.',
    );
    bad(
      { group: { sise: 1 } },
      'f(): "group": unknown option "sise". Did you mean "size"? Known options: size.',
    );
  });

  test("a prefix names the keys of one call's options", () => {
    assert.throws(() => readOptions({ limit: -1 }, table, 'fetch(input, init)', 'fetchstack.x.'), {
      message: 'fetch(input, init): "fetchstack.x.limit" must be an integer >= 0, got number -1.',
    });
  });
});
