// What the three factories return: a layer whose per-call code (calls.ts) loads with one
// import(), started when the layer is made (so a first call rarely waits for it, and a page
// does not fetch it only once a request is under way) and awaited by the calls that come
// before it arrived. The factory has already checked its options, so a bad value still throws
// when the layer is made.
import type { Fetch, Middleware } from '@fetchstack/core';
import { lazily } from '@fetchstack/core/internal';

type Calls = typeof import('./calls.js');

/** The per-call code, loaded once for every layer (a failed load is tried again at the next call). */
const load = lazily(() => import('./calls.js'));

/**
 * A layer made by `make` once the per-call code is loaded: `make` runs once per layer (its
 * state, a bearer refresh in flight or digest's remembered challenges, is the layer's), and
 * each fetch the layer wraps makes its own fetch from it on its first call. Later calls go
 * straight to that fetch, with no promise of the load per call.
 */
export function onFirstCall(make: (calls: Calls) => Middleware): Middleware {
  // Started now; a failure is the first call's to report (the load is tried again then).
  load().catch(() => {});
  let made: Middleware | undefined;
  return (next: Fetch): Fetch => {
    let run: Fetch | undefined;
    // An arrow, not a named function: fewer bytes up front.
    return (input, init) =>
      run
        ? run(input, init)
        : load().then((calls) => {
            made ??= make(calls);
            run ??= made(next);
            return run(input, init);
          });
  };
}
