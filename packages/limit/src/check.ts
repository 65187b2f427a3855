// Checking the options of `limit()` (and of a session's `limit`), apart from the engine: a
// session checks its `limit` option when it is created and loads the limiter only on its first
// call through it.
import {
  is,
  type OptionReader,
  type OptionTable,
  readNumber,
  readOptions,
} from '@fetchstack/core/internal';
import type { LimitOptions, LimitStore } from './options.js';

/** A key of `rate`, which must be given: a number >= 1 (a whole one for `requests`). */
function rateKey(integer: boolean): OptionReader {
  return (value, name, where) => {
    if (value === undefined) {
      throw new TypeError(
        `${where}: "${name}" is required: a rate is { requests, per }, at most "requests" started in any window of "per" ms, such as { requests: 10, per: 1_000 }.`,
      );
    }
    return readNumber(value, [undefined, '', integer, 1], name, where);
  };
}

const rate: OptionTable = { requests: rateKey(true), per: rateKey(false) };

/** What each option takes (see `OptionTable`); the options are returned as given. */
const options: OptionTable = {
  concurrency: [undefined, '', true, 1],
  rate: (value, name, where) =>
    value === undefined
      ? value
      : readOptions(value, rate, where, `${name}.`, `${where}: "${name}"`),
  store: is(
    (store: Partial<LimitStore>) =>
      typeof store?.acquireSlot === 'function' && typeof store.releaseSlot === 'function',
    'a limit store',
  ),
};

/** Checks `given`; a bad value throws a `TypeError` naming it (prefixed with `where`). */
export function checkLimitOptions(given: LimitOptions | undefined, where: string): LimitOptions {
  readOptions(given, options, where);
  if (given?.concurrency === undefined && given?.rate === undefined) {
    throw new TypeError(
      `${where}: give "concurrency", "rate" or both, such as { concurrency: 8 }.`,
    );
  }
  return given;
}
