// The session's `Retry-After` cool-down across a fleet: with a `store` that has a `cooldown`
// part, a 429 or 503 with `Retry-After` received by any session sharing the store makes every
// one of them wait before its next request to that origin, instead of each finding out by
// calling it.
//
// A row of its own (it has no option: it reads `store`, and `retry` for `retryAfter`), beneath
// retry and redirect and above limit: each try and each redirect hop to an origin that cools
// down waits (holding no slot of the limit), and each try's response is seen, so a 429 that
// retry then retries is recorded too.
//
// A wait longer than `retryAfter.max` is not waited: the call is answered at once, without
// touching the origin, with a response of the recorded status and the `Retry-After` left, so
// that the retry layer above gives the outcome it gives today for such a response (it returns
// it, or throws a `RetryError` with `throwOnExhausted`). With retry off, or `retryAfter: {
// respect: false }`, for the stack or for one call, calls neither wait nor are answered
// locally (the application asked to see every response), but what they receive is recorded.
import { storeOf } from '../store.js';
import { type Layer, layer, onFirstCall } from './layer.js';
import type { RetryLayerOptions } from './retry.js';

let loading: Promise<typeof import('./cooldown-run.js')> | undefined;

export const cooldownLayer: Layer<object, false, false> = layer({
  name: 'cooldown',
  options: [],
  reads: ['store', 'retry'],
  mount: false,
  perCall: false,
  build(values: RetryLayerOptions, _site) {
    const store = storeOf(values)?.cooldown;
    if (!store) return undefined;
    // The cool-down's code loads on the first call through it (cooldown-run.ts).
    return onFirstCall(() => {
      loading ??= import('./cooldown-run.js');
      return loading.then((run) => run.makeCooldown(store, values.retry));
    });
  },
});
