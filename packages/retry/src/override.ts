// Per-call overrides: `init.fetchstack.retry`, read once per call by the retry layer.
import {
  callOverrides,
  callSite as makeCallSite,
  type OptionSite,
} from '@fetchstack/core/internal';
import type { Normalize, Policy, RetryOptions } from './options.js';

/** Where one call's options are read: `init.fetchstack.retry`. */
export const callSite: OptionSite = makeCallSite('retry');

/**
 * What one call may put in `init.fetchstack.retry`: the values `retry()` takes (a number
 * is the limit), merged over the layer's own options (the call's keys win, except that a
 * call's `onRetry` runs after the layer's rather than instead of it); `false` turns
 * retries off for this call; `true` keeps the layer's options (the defaults when the layer
 * was made with `retry(false)`).
 *
 * @example
 * await api(url, { method: 'POST', fetchstack: { retry: { limit: 5, methods: ['POST'] } } });
 * await api(url, { fetchstack: { retry: false } });
 */
export type RetryOverride = RetryOptions | number | boolean;

/**
 * The layer's `onRetry` and the call's, one after the other (a session's hooks keep running
 * for a call that brings its own); the call's alone is checked by `normalize` as usual.
 */
function both(layer: RetryOptions['onRetry'], call: RetryOptions): RetryOptions['onRetry'] {
  if (!('onRetry' in call)) return layer;
  const own = call.onRetry;
  if (!layer || typeof own !== 'function') return own;
  return async function onRetry(info) {
    await layer(info);
    await own(info);
  };
}

/**
 * The policy of each call for one layer: its own, or the one a call's override asks for,
 * built (and checked, by `normalize`) once per override object or number (see `callOverrides`).
 * `normalize` is handed in by `retry()` rather than imported: see `layer` in engine.ts.
 */
export function policies(
  normalize: Normalize,
  base: RetryOptions | undefined,
  own: Policy | undefined,
  off = false,
): (init: RequestInit | undefined) => Policy | undefined {
  // The layer's budget instance, not its options: a call's policy draws on the same budget.
  const inherited: RetryOptions = { ...base, budget: own?.budget };
  let defaults: Policy | undefined;
  return callOverrides<Policy>(
    'retry',
    'a number (the retry limit), retry options',
    // Off (`retry(false, options)`): only a call that asks retries, over `options`.
    off ? undefined : own,
    () => {
      if (own) return own;
      defaults ??= normalize(inherited, callSite);
      return defaults;
    },
    (value) =>
      typeof value === 'number'
        ? normalize({ ...inherited, limit: value }, callSite)
        : normalize(
            {
              ...inherited,
              ...(value as RetryOptions),
              onRetry: both(base?.onRetry, value as RetryOptions),
            },
            callSite,
          ),
  );
}
