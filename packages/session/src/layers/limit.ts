// The session's `limit` option: caps the requests made to each origin (how many in flight, how
// many started per window). It sits beneath retry and redirect, so that each try and each
// redirect hop waits for a slot of its own origin (a retry queues like any call); and above
// headers, auth and cookies, so that a request that waited is sent with the token and cookies
// current when it goes (a login answered while it waited counts). The attempt timeout starts
// when the request has its slot; the total timeout covers the wait.
//
// The options are checked when the session is made; the limiter itself is loaded on the first
// call through it, so a session without `limit` does not carry it.
import type { Middleware } from '@fetchstack/core';
import type { LimitOptions, LimitStore } from '@fetchstack/limit';
import { checkLimitOptions } from '@fetchstack/limit/check';
import { storeOf } from '../store.js';
import { asOption, type Layer, layer, onFirstCall } from './layer.js';

export interface LimitLayerOptions {
  /**
   * Caps per origin: `{ concurrency }` (the most requests in flight at once), `{ rate: {
   * requests, per } }` (at most `requests` started in any window of `per` ms), both, or `false`.
   * A request over a cap waits for its turn; the wait counts in the total timeout and ends at
   * once when the call is aborted. A mount that sets `limit` counts its calls apart (with
   * the session's `store`, the counts are the fleet's, per origin, shared with the session's).
   * With the session's `store`, the caps hold across the fleet (a `store` inside `limit`
   * still works, and wins).
   * @default false
   * @example createSession({ limit: { concurrency: 8, rate: { requests: 20, per: 1_000 } } })
   */
  limit?: LimitOptions | false | undefined;
}

export const limitLayer: Layer<LimitLayerOptions, true, false> = layer({
  name: 'limit',
  options: ['limit'],
  reads: ['store'],
  mount: true,
  perCall: false,
  build(values: LimitLayerOptions, site): Middleware | undefined {
    const value = values.limit;
    if (value === undefined || value === false) return undefined;
    const checked = asOption(site.where, 'limit', () => checkLimitOptions(value, 'limit(options)'));
    // A copy: later changes to the caller's object do not reach the session.
    const options: LimitOptions = { ...checked, rate: checked.rate && { ...checked.rate } };
    // The session's store keeps the counts for the fleet, unless `limit` names its own.
    const store = storeOf(values);
    if (options.store === undefined && store?.acquireSlot && store.releaseSlot) {
      options.store = store as LimitStore;
    }
    // One limiter per stack, made on its first call: every call through it is counted together
    // (a mount that leaves `limit` alone shares it).
    return onFirstCall(() =>
      import('./limit-run.js').then((run) => run.limiterLayer(options, site.session.closers)),
    );
  },
});
