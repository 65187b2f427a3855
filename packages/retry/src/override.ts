// Per-call overrides: `init.fetchstack.retry`, read once per call by the retry layer.
import { describeValue } from '@fetchstack/core/internal';
import { callSite, normalize, type Policy, type RetryOptions } from './options.js';

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

/** The value of `init.fetchstack.retry`, or `undefined`. */
export function overrideOf(init: RequestInit | undefined): unknown {
  const box = (init as { fetchstack?: unknown } | undefined)?.fetchstack;
  return typeof box === 'object' && box !== null ? (box as { retry?: unknown }).retry : undefined;
}

/**
 * The policy of each call for one layer: its own, or the one a call's override asks for.
 * A policy is built (and checked) once per override object or number, then reused, so
 * calls that pass the same object pay nothing more. The object is read once: changing it
 * afterwards changes nothing.
 */
export function policies(
  base: RetryOptions | undefined,
  own: Policy | undefined,
): (init: RequestInit | undefined) => Policy | undefined {
  // The layer's budget instance, not its options: a call's policy draws on the same budget.
  const inherited: RetryOptions = { ...base, budget: own?.budget };
  const byObject = new WeakMap<object, Policy>();
  const byNumber = new Map<number, Policy>();
  let defaults: Policy | undefined;

  return function policyOf(init) {
    const value = overrideOf(init);
    if (value === undefined) return own;
    if (value === false) return undefined;
    if (value === true) {
      if (own) return own;
      defaults ??= normalize(inherited, callSite);
      return defaults;
    }
    if (typeof value === 'number') {
      let policy = byNumber.get(value);
      if (!policy) {
        policy = normalize({ ...inherited, limit: value }, callSite);
        if (byNumber.size >= 32) byNumber.clear();
        byNumber.set(value, policy);
      }
      return policy;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      let policy = byObject.get(value);
      if (!policy) {
        const own = value as RetryOptions;
        policy = normalize({ ...inherited, ...own, onRetry: both(base?.onRetry, own) }, callSite);
        byObject.set(value, policy);
      }
      return policy;
    }
    throw new TypeError(
      `${callSite.self} must be a number (the retry limit), retry options, true or false; got ${describeValue(value)}.`,
    );
  };
}
