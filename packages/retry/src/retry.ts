// retry(): checks its options when it is called, and gives a layer whose per-call code (the
// first try, the per-call overrides, the retries; engine.ts) is loaded by one import(), started
// when the layer is made, that the first call through it waits for. Later calls go straight to
// that code.
import type { Fetch, Middleware } from '@fetchstack/core';
import { lazily } from '@fetchstack/core/internal';
import { normalize, type RetryOptions } from './options.js';

/** The per-call code, loaded once (a failed load is tried again at the next call). */
const load = lazily(() => import('./engine.js'));

/**
 * Retries failed tries with exponential backoff, jitter and `Retry-After`.
 * Each retry calls the layers beneath again (auth and cookies run again) and
 * passes `withContext(init, { attempt })` (1 = the first try) down to them.
 *
 * One call can change the options for itself with `init.fetchstack.retry` (see
 * `RetryOverride`): `false` for no retry, a number for the limit, or options merged
 * over these. `retry(false)` makes a layer that retries only the calls that ask;
 * `retry(false, options)` puts `options` under what they ask (a budget they share, an
 * `onRetry` that runs for each of them).
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { retry } from '@fetchstack/retry';
 * const api = wrap(fetch, retry({ limit: 3, statusCodes: [429, 503] }));
 * const res = await api('https://example.com/');
 * await api('https://example.com/health', { fetchstack: { retry: false } });
 */
export function retry(options?: RetryOptions | number | false, asked?: RetryOptions): Middleware {
  const off = options === false;
  const base = off ? asked : typeof options === 'number' ? { limit: options } : options;
  const own = off && asked === undefined ? undefined : normalize(base);
  // Loading starts now, so that a first call rarely waits for it.
  load().catch(() => {});
  let made: Middleware | undefined;
  return (next: Fetch): Fetch => {
    let run: Fetch | undefined;
    return function retrying(input, init) {
      return run
        ? run(input, init)
        : load().then(
            (engine) => {
              made ??= engine.layer(normalize, base, own, off);
              run ??= made(next);
              return run(input, init);
            },
            // The code could not be loaded (a page that lost its network): the call goes
            // out once, as it is, and settles as that try does.
            () => next(input, init),
          );
    };
  };
}
