// The factories. A bad limit throws when `timeout()` or `splitTimeout()` is called, naming it
// (check.ts); the code that runs per call (run.ts) starts loading when a layer is made, the
// calls made before it arrived wait for it, and every later call goes straight to it. run.ts
// checks one call's `init.fetchstack.timeout` with the same `toOptions`.
import type { Fetch, Middleware } from '@fetchstack/core';
import { factorySite, lazily } from '@fetchstack/core/internal';
import { toOptions } from './check.js';
import type { LimitsOf, Part, Timed } from './run.js';

/** The limits, in ms. Each is optional; leave one out (or `undefined`, or `false`) for no limit of that kind. */
export interface TimeoutOptions {
  /**
   * From the call until the final response's headers, retries and waits included.
   * Place this layer *outside* `retry()` for that (see `splitTimeout`).
   * @default undefined (no limit)
   * @example timeout({ total: 10_000 })
   */
  total?: number | false | undefined;
  /**
   * Each try, until its headers. Place the layer *inside* `retry()` so every try
   * gets its own clock; alone on a plain fetch there is one try, so it acts like `total`.
   * @default undefined (no limit)
   * @example timeout({ attempt: 3_000 })
   */
  attempt?: number | false | undefined;
  /**
   * The longest quiet gap while the body streams (requests' read timeout): the
   * clock runs while the reader waits for a chunk and restarts with every chunk.
   * Waiting for headers is `attempt`'s (or `total`'s) job, never `read`'s.
   * @default undefined (no limit)
   * @example timeout({ read: 10_000 })
   */
  read?: number | false | undefined;
}

/**
 * What one call may put in `init.fetchstack.timeout`: the values `timeout()` takes (a
 * number is `total`), merged over the layer's own limits (the call's keys win, and
 * `false` or `undefined` removes a limit); `false` turns every limit off for this call;
 * `true` keeps the layer's own.
 *
 * @example
 * await api(url, { fetchstack: { timeout: 120_000 } });
 * await api(url, { fetchstack: { timeout: { attempt: 1_000 } } });
 */
export type TimeoutOverride = number | TimeoutOptions | boolean;

/** Where the layer's own limits are read, for the wording of errors. */
const site = factorySite('timeout');

/** The per-call code, loaded once for every layer (a failed load is tried again at the next call). */
const load = lazily(() => import('./run.js'));

/**
 * Timeouts for fetch. `timeout(ms)` is `timeout({ total: ms })`; `timeout(false)` has no
 * limit of its own and enforces only what a call asks for.
 *
 * A timeout rejects with a `TimeoutError` (`name === 'TimeoutError'`, `limit`,
 * `ms`); a caller's own abort rejects with the caller's reason, at once. No timer
 * or listener outlives its request.
 *
 * One call can change the limits for itself with `init.fetchstack.timeout` (see
 * `TimeoutOverride`).
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { timeout } from '@fetchstack/timeout';
 * const api = wrap(fetch, timeout({ total: 10_000, read: 5_000 }));
 * const res = await api('https://example.com/');
 * await api('https://example.com/export', { fetchstack: { timeout: 120_000 } });
 */
export function timeout(limits: number | TimeoutOptions | false): Middleware {
  return layer(checked(limits));
}

/**
 * The two halves of `timeout(opts)` for a stack with retries in it:
 * `outer` (the `total` limit) goes outside `retry()`, `inner` (`attempt` and
 * `read`) inside it, so each try gets its own attempt clock and the final body its
 * read clock. Both halves read a call's `init.fetchstack.timeout`, each for its own
 * limits; a half with nothing to enforce for a call passes it straight through.
 *
 * @example
 * const { outer, inner } = splitTimeout({ total: 30_000, attempt: 5_000, read: 10_000 });
 * const api = wrap(fetch, outer, retry(), inner);
 */
export function splitTimeout(limits: number | TimeoutOptions | false): {
  outer: Middleware;
  inner: Middleware;
} {
  const base = checked(limits);
  return { outer: layer(base, 'outer'), inner: layer(base, 'inner') };
}

function checked(limits: number | TimeoutOptions | false): TimeoutOptions {
  return limits === false ? {} : toOptions(limits, site);
}

/**
 * A layer enforcing `part` of `base`. The limits of each call (its own, or those a call's
 * override asks for, built and checked once per override object or number) are worked out by
 * `limitsOf`, made once per layer; each fetch the layer wraps gets its own fetch on its first
 * call, and every later call goes straight to it.
 */
function layer(base: TimeoutOptions, part?: Part): Middleware {
  // The per-call code starts loading now, so a first call rarely waits for it; a failure is
  // the first call's to report (the load is tried again then).
  load().catch(() => {});
  let limitsOf: LimitsOf | undefined;
  return (next: Fetch): Fetch => {
    let timed: Timed | undefined;
    // `since` (from `performance.now()`): when a call that waited before reaching this layer
    // (for a session's code, say) came in; its limits count from then.
    return function timeoutLayer(input, init, since?: number) {
      if (timed) return timed(input, init, since);
      // The first calls wait for the load; their limits count from now (or `since`), so the
      // time it takes is part of the total.
      const from = since ?? performance.now();
      return load().then((m) => {
        limitsOf ??= m.layerLimits(base, part, toOptions);
        timed ??= m.timeoutFetch(next, limitsOf);
        return timed(input, init, from);
      });
    } as Fetch;
  };
}
