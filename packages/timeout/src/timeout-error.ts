import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { methodOf, urlOf } from '@fetchstack/core/internal';
import { later } from './later.js';

/** Which limit fired. */
export type TimeoutLimit = 'total' | 'attempt' | 'read';

// The words of the message and URL redaction load with the first call that has a limit
// (./message.ts), before any of its limits can fire.
export const messages = later(() => import('./message.js'));

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

  /**
   * The layers make these. One made by hand before any call with a limit has started (so
   * before the words of the message have loaded) says less: `"GET <origin and path> timed
   * out (total: 100 ms)."`, and its `url` is the origin and path only.
   */
  constructor(limit: TimeoutLimit, ms: number, input: string | URL | Request, init?: RequestInit) {
    // As `describeCall()` (core) reads the call; the URL is redacted by ./message.ts.
    const method = methodOf(input, init);
    let target: string | URL;
    try {
      target = urlOf(input);
    } catch {
      target = typeof input === 'string' ? input : String(input);
    }
    let message: string;
    let url: string;
    const loaded = messages.get();
    if (loaded) [message, url] = loaded.describeTimeout(limit, ms, method, target);
    else {
      url = typeof target === 'string' ? '' : target.origin + target.pathname;
      message = `${method} ${url} timed out (${limit}: ${ms} ms).`;
    }
    super('TIMEOUT', message, { at: { method, url } });
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
