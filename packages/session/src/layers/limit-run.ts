// The limit layer's code that runs on its first call (limit.ts loads this module then, so a
// session without `limit` never loads it, nor the limiter).
import type { Middleware } from '@fetchstack/core';
import { abortReason, signalOf, urlOf } from '@fetchstack/core/internal';
import type { LimitOptions } from '@fetchstack/limit';
import { Limiter } from '@fetchstack/limit/limiter';

/**
 * One limiter for the stack's checked options: every call through it is counted together.
 * (The same as `limit()` of `@fetchstack/limit`, without its check of the options again, so
 * that the check stays out of the code loaded here.)
 */
export function makeLimit(options: LimitOptions): Middleware {
  const limiter = new Limiter(options, abortReason);
  return (next) =>
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
