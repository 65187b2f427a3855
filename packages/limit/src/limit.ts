import type { Middleware } from '@fetchstack/core';
import { checkLimitOptions } from './check.js';
import { limitChecked } from './limiter.js';
import type { LimitOptions } from './options.js';

/**
 * Caps the calls made to each origin (scheme, host and port): at most `concurrency` in flight
 * at once, and at most `rate.requests` started in any window of `rate.per` ms. A call over a
 * cap waits for its turn (first come, first served, per origin); a waiting call that is aborted
 * (its signal, or a session's total timeout) rejects at once with the signal's reason and is
 * never sent.
 *
 * Each `limit()` keeps its own counts, in this process: calls made through two limiters are
 * counted apart.
 *
 * Bad options throw a `TypeError` naming the option, here.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { limit } from '@fetchstack/limit';
 * const api = wrap(fetch, limit({ concurrency: 4, rate: { requests: 10, per: 1_000 } }));
 * await Promise.all(urls.map((url) => api(url))); // 4 at a time, 10 per second at most
 */
export function limit(options: LimitOptions): Middleware {
  return limitChecked(checkLimitOptions(options, 'limit(options)'));
}
