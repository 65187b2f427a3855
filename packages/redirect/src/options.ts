import { assertKnownKeys, assertOptionsObject, describeValue } from '@fetchstack/core/internal';

/** Options of `redirect()`. */
export interface RedirectOptions {
  /**
   * The most redirects one call follows. The next one rejects with a
   * `RedirectError` whose `code` is `'TOO_MANY_REDIRECTS'`. `0` follows none
   * (the first redirect rejects).
   *
   * @default 20 (the fetch standard's limit)
   * @example
   * redirect({ limit: 5 })
   */
  limit?: number;
}

/** Validates `redirect()`'s options (the same in every build); returns the limit. */
export function redirectLimit(options: RedirectOptions): number {
  assertOptionsObject(options, 'redirect(options)');
  assertKnownKeys(options, ['limit'], 'redirect(options)');
  const { limit = 20 } = options;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new TypeError(
      `redirect(options): limit must be a whole number >= 0 (the most redirects to follow), got ${describeValue(limit)}.`,
    );
  }
  return limit;
}
