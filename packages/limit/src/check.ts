// Checking the options of `limit()` (and of a session's `limit`), apart from the engine: a
// session checks its `limit` option when it is created and loads the limiter only on its first
// call through it.
import {
  assertKnownKeys,
  assertNumber,
  assertOptionsObject,
  describeValue,
} from '@fetchstack/core/internal';
import { type LimitOptions, optionKeys, rateKeys } from './options.js';

/** Checks `options`; a bad value throws a `TypeError` naming it (prefixed with `where`). */
export function checkLimitOptions(options: LimitOptions | undefined, where: string): LimitOptions {
  assertOptionsObject(options, where);
  const { concurrency, rate } = options ?? {};
  assertKnownKeys(options ?? {}, optionKeys, where);
  if (concurrency === undefined && rate === undefined) {
    throw new TypeError(
      `${where}: give "concurrency", "rate" or both, such as { concurrency: 8 }.`,
    );
  }
  assertNumber(concurrency, 'concurrency', where, { min: 1, integer: true });
  if (rate !== undefined) {
    assertOptionsObject(rate, `${where}: "rate"`);
    assertKnownKeys(rate, rateKeys, `${where}: "rate"`);
    for (const key of rateKeys) {
      const value = (rate as unknown as Record<string, unknown>)[key];
      if (value === undefined) {
        throw new TypeError(
          `${where}: "rate.${key}" is required: a rate is { requests, per }, at most "requests" started in any window of "per" ms, such as { requests: 10, per: 1_000 }.`,
        );
      }
      assertNumber(value, `rate.${key}`, where, { min: 1, integer: key === 'requests' });
    }
  }
  const store = options?.store;
  if (
    store !== undefined &&
    (typeof store?.acquireSlot !== 'function' || typeof store.releaseSlot !== 'function')
  ) {
    throw new TypeError(`${where}: "store" must be a limit store; got ${describeValue(store)}.`);
  }
  return options as LimitOptions;
}
