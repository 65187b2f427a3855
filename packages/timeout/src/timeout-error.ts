import { FetchstackError, isErrorNamed } from '@fetchstack/core';

/** Which limit fired. */
export type TimeoutLimit = 'total' | 'attempt' | 'read';

/**
 * A timeout of `@fetchstack/timeout` fired. `limit` says which one, `ms` its value; `method`
 * and `url` (credentials removed) say which request.
 *
 * @example
 * try { await api(url); } catch (e) { if (isTimeoutError(e)) console.log(e.limit, e.ms); }
 */
export class TimeoutError extends FetchstackError {
  override name = 'TimeoutError' as const;
  /** `'total'`, `'attempt'` or `'read'`. */
  declare readonly limit: TimeoutLimit;
  /** The limit's value in ms. */
  declare readonly ms: number;
  declare readonly code: 'TIMEOUT';
  /** The request's method. */
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  /**
   * The layer builds the message (`GET https://example.com/ timed out: ...`) when a limit
   * fires; `url` must already have its credentials removed (`describeCall()` of
   * `@fetchstack/core/internal` gives `{ method, url }` so).
   */
  constructor(
    message: string,
    details: { limit: TimeoutLimit; ms: number; method: string; url: string },
  ) {
    super('TIMEOUT', message, { at: details });
    this.limit = details.limit;
    this.ms = details.ms;
  }
}

/**
 * True for a `TimeoutError` of this package, from any copy of it and any realm. The
 * platform's own `DOMException` named `TimeoutError` (from `AbortSignal.timeout()`) is not
 * one: it has no `limit` or `ms`; check `e.name === 'TimeoutError'` to accept both.
 */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return isErrorNamed<TimeoutError>(error, 'TimeoutError');
}
