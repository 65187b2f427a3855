import { assertKnownKeys, assertNumber, assertOptionsObject } from '@fetchstack/core/internal';

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
  // The most redirects to follow: `redirect(options): "limit" must be an integer >= 0, got ...`.
  assertNumber(limit, 'limit', 'redirect(options)', { integer: true });
  return limit;
}
