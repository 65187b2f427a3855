import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { methodOf, urlOf } from '@fetchstack/core/internal';
import { later } from './later.js';

/** Which limit fired. */
export type TimeoutLimit = 'total' | 'attempt' | 'read';

// The words of the message with URL redaction (./message.ts), and the body watcher: loaded
// when the first call with a limit begins, before any of its limits can fire.
export const onDemand = later(() => import('./on-demand.js'));

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
    let message: string;
    let at: { method: string; url: string };
    const loaded = onDemand.get();
    if (loaded) [message, at] = loaded.describeTimeout(limit, ms, input, init);
    else {
      const method = methodOf(input, init);
      let url = '';
      try {
        const parsed = urlOf(input);
        url = parsed.origin + parsed.pathname;
      } catch {}
      at = { method, url };
      message = `${method} ${url} timed out (${limit}: ${ms} ms).`;
    }
    super('TIMEOUT', message, { at });
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
