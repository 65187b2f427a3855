import type { Fetch, Middleware } from '@fetchstack/core';
import { abortReason, signalOf, urlOf } from '@fetchstack/core/internal';
import { checkLimitOptions } from './check.js';
import { Limiter } from './limiter.js';
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
  const limiter = new Limiter(checkLimitOptions(options, 'limit(options)'), abortReason);
  return (next: Fetch): Fetch =>
    function limited(input, init) {
      let origin: string;
      try {
        origin = urlOf(input).origin;
      } catch {
        // Not a URL fetch can call: let fetch say so, as it would without the limiter.
        return next(input, init);
      }
      return limiter.run(origin, signalOf(input, init), () => next(input, init));
    };
}
