import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { callLabel, describeCall } from '@fetchstack/core/internal';

/** Which limit fired. */
export type TimeoutLimit = 'total' | 'attempt' | 'read';

const what: Record<TimeoutLimit, string> = {
  total: 'no final response headers within the total timeout',
  attempt: 'no response headers within the per-try (attempt) timeout',
  read: 'the response body was silent longer than the read timeout',
};

const hint: Record<TimeoutLimit, string> = {
  total: 'raise `total` if the server is slow but healthy',
  attempt: 'raise `attempt` if one try may legitimately take longer',
  read: 'raise `read` if the server pauses between chunks',
};

/**
 * A timeout of `@fetchstack/timeout` fired. `limit` says which one, `ms` its value.
 *
 * @example
 * try { await api(url); } catch (e) { if (isTimeoutError(e)) console.log(e.limit, e.ms); }
 */
export class TimeoutError extends FetchstackError {
  override name = 'TimeoutError' as const;
  /** `'total'`, `'attempt'` or `'read'`. */
  readonly limit: TimeoutLimit;
  /** The limit's value in ms. */
  readonly ms: number;
  declare readonly code: 'TIMEOUT';
  /** The request's method. */
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  constructor(limit: TimeoutLimit, ms: number, input: string | URL | Request, init?: RequestInit) {
    super(
      'TIMEOUT',
      `${callLabel(input, init)} timed out: ${what[limit]} (${limit}: ${ms} ms); ${hint[limit]}.`,
      { at: describeCall(input, init) },
    );
    this.limit = limit;
    this.ms = ms;
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
