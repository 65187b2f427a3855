// The session's `retry` option: the retry layer, drawing on one budget for the whole session,
// whose `onRetry` also runs the `beforeRetry` hooks.

import { describeValue } from '@fetchstack/core/internal';
import { RetryBudget, type RetryInfo, type RetryOptions, retry } from '@fetchstack/retry';
import { storeOf } from '../store.js';
import { asOption, type Layer, layer, loadedRun, type SessionState } from './layer.js';

/** The `retry` option of a session or a mount. */
export type RetryOption = number | RetryOptions | boolean | undefined;

export interface RetryLayerOptions {
  /**
   * A number (the retry limit), retry options (merged over the session's defaults), `true`
   * (the defaults) or `false` (no retries). The defaults: `limit: 2`, idempotent methods only,
   * and a retry budget shared by the whole session (`{ ratio: 0.2, windowMs: 10_000,
   * minPerSecond: 10 }`; `budget: false` removes it). With the session's `store`, the budget
   * (the default one, or budget options given here) counts the retries and first tries of the
   * whole fleet.
   * @default { limit: 2, budget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 } }
   * @example createSession({ retry: { limit: 5, statusCodes: [429, 503] } })
   */
  retry?: RetryOption;
}

export const defaultBudget = { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 } as const;

/**
 * A mount's `retry` over the session's, as one call's is: a number is the limit, options are
 * merged over the session's (`true` and `false` stand as they are).
 */
export function retryOver(base: RetryOption, own: RetryOption): RetryOption {
  if (typeof own === 'boolean' || own === undefined) return own;
  const under =
    typeof base === 'number' ? { limit: base } : typeof base === 'object' && base ? base : {};
  return typeof own === 'number' ? { ...under, limit: own } : { ...under, ...own };
}

/** The options of the retry layer for a `retry` value, or `undefined` for none. */
export function retryOptions(
  value: RetryOption,
  budget: RetryOptions['budget'],
  where: string,
): RetryOptions | undefined {
  if (value === false) return undefined;
  if (value === undefined || value === true) return { limit: 2, budget };
  if (typeof value === 'number') return { limit: value, budget };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${where}: "retry" must be a number (the retry limit), retry options, true or false; got ${describeValue(value)}.`,
    );
  }
  return { budget, ...value };
}

export const retryLayer: Layer<RetryLayerOptions, true, true> = layer({
  name: 'retry',
  options: ['retry'],
  reads: ['store'],
  mount: true,
  perCall: true,
  build(values: RetryLayerOptions, site) {
    const fleet = storeOf(values)?.retryBudget ? storeOf(values) : undefined;
    // With a store, the session's budget is the fleet's (the same options give the same one).
    const options = retryOptions(
      values.retry,
      fleet ? fleet.retryBudget?.(defaultBudget) : site.session.budget,
      site.where,
    );
    if (fleet && options && isBudgetOptions(options.budget)) {
      // Budget options of its own: checked as the retry layer would, then the fleet's.
      const own = asOption(site.where, 'retry', () => new RetryBudget(options.budget as object));
      options.budget = fleet.retryBudget?.({
        ratio: own.ratio,
        windowMs: own.windowMs,
        minPerSecond: own.minPerSecond,
      });
    }
    // Off: a layer that retries only the calls that ask (`init.fetchstack.retry`), with the
    // session's budget under what they ask and its `beforeRetry` hooks for their retries.
    if (!options) {
      const onRetry = chainRetry(undefined, site.session, site.where);
      const budget = fleet ? fleet.retryBudget?.(defaultBudget) : site.session.budget;
      return retry(false, { budget, onRetry });
    }
    const onRetry = chainRetry(options.onRetry, site.session, site.where);
    return asOption(site.where, 'retry', () => retry({ ...options, onRetry }));
  },
});

/** Budget options (not `false`, not a budget object). */
function isBudgetOptions(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { tryWithdraw?: unknown }).tryWithdraw !== 'function'
  );
}

/**
 * The retry layer's `onRetry`: once the session is closed, the call ends at once with a
 * `SessionClosedError` (no retry would be sent: no need to wait for one); else the options'
 * own first, then the `beforeRetry` hooks (run.ts, `beforeRetry`: a retry belongs to a call
 * under way, so the per-call code has loaded).
 */
function chainRetry(
  own: RetryOptions['onRetry'],
  session: Pick<SessionState, 'hooks' | 'closed'>,
  where: string,
): (info: RetryInfo) => Promise<void> {
  if (own !== undefined && typeof own !== 'function') {
    throw new TypeError(`${where}: "retry.onRetry" must be a function; got ${describeValue(own)}.`);
  }
  return function onRetry(info) {
    return loadedRun()!.beforeRetry(info, own, session);
  };
}
