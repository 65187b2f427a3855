// The retry mechanism: calls `next` again while the policy says so.
import type { Fetch, Middleware } from '@fetchstack/core';
import {
  delay,
  describeRequest,
  discard,
  methodOf,
  plainReplay,
  prepareReplay,
  type Replay,
  Request,
  signalOf,
  urlOf,
  withContext,
} from '@fetchstack/core/internal';
import { normalize, type Policy, type RetryOptions } from './options.js';
import { policies } from './override.js';
import {
  exhaustedNetworkError,
  isAttemptTimeout,
  isNetworkError,
  methodAllowed,
  retryableResponse,
  waitBefore,
} from './policy.js';
import { type GiveUpReason, RetryError } from './retry-error.js';

/**
 * Retries failed tries with exponential backoff, jitter and `Retry-After`.
 * Each retry calls the layers beneath again (auth and cookies run again) and
 * passes `withContext(init, { attempt })` (1 = the first try) down to them.
 *
 * One call can change the options for itself with `init.fetchstack.retry` (see
 * `RetryOverride`): `false` for no retry, a number for the limit, or options merged
 * over these. `retry(false)` makes a layer that retries only the calls that ask.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { retry } from '@fetchstack/retry';
 * const api = wrap(fetch, retry({ limit: 3, statusCodes: [429, 503] }));
 * const res = await api('https://example.com/');
 * await api('https://example.com/health', { fetchstack: { retry: false } });
 */
export function retry(options?: RetryOptions | number | false): Middleware {
  const base =
    options === false ? undefined : typeof options === 'number' ? { limit: options } : options;
  const own = options === false ? undefined : normalize(base);
  const policyOf = policies(base, own);
  return (next: Fetch): Fetch => retryFetch(next, policyOf);
}

function retryFetch(
  next: Fetch,
  policyOf: (init: RequestInit | undefined) => Policy | undefined,
): Fetch {
  return async function retrying(input, init) {
    const policy = policyOf(init);
    if (!policy) return next(input, withContext(init, { attempt: 1 }));
    policy.budget?.deposit();
    const method = methodOf(input, init);
    if (!methodAllowed(policy, method)) return next(input, withContext(init, { attempt: 1 }));

    const signal = signalOf(input, init);
    // Without a body to make replayable, no await (and no microtask) before the first try.
    const replay =
      plainReplay(input, init) ?? (await prepareReplay(input, init, policy.maxBufferSize, signal));
    for (let attempt = 1; ; attempt++) {
      const [tryInput, tryInit] = replay.args();
      let response: Response | undefined;
      let error: unknown;
      try {
        response = await next(tryInput, withContext(tryInit, { attempt }));
      } catch (caught) {
        error = caught;
      }

      // The caller's abort (or a total timeout above, which aborts the caller's signal) is never retried.
      const retryable =
        !signal?.aborted &&
        (response
          ? retryableResponse(policy, response)
          : policy.networkErrors && (isNetworkError(error, input) || isAttemptTimeout(error)));
      if (!retryable) {
        if (response) return response;
        throw error;
      }

      const wait = waitBefore(policy, attempt, response);
      const stop = giveUp(policy, attempt, replay, wait.giveUp);
      if (stop) {
        if (response && !policy.throwOnExhausted) return response;
        // A network failure ends as fetch's own TypeError (with `attempts`), not a RetryError.
        const own = response
          ? undefined
          : exhaustedNetworkError(error, input, attempt, stop.reason);
        if (own) throw own;
        throw new RetryError(input, init, { attempts: attempt, ...stop, response, error });
      }

      try {
        if (policy.onRetry) {
          await policy.onRetry({
            attempt,
            delay: wait.ms,
            // Never undefined here: a call the platform refuses fails before any retry.
            request: describeRequest(input, init) ?? new Request(urlOf(input)),
            response,
            error,
          });
        }
      } finally {
        // Frees the connection of a response nobody will read (onRetry may have read it).
        discard(response);
      }
      await delay(wait.ms, signal);
    }
  };
}

function giveUp(
  policy: Policy,
  attempt: number,
  replay: Replay,
  retryAfterTooLong: string | undefined,
): { reason: GiveUpReason; why: string } | undefined {
  if (attempt > policy.limit)
    return { reason: 'limit', why: `the retry limit (${policy.limit}) is reached.` };
  if (replay.notReplayable) {
    return {
      reason: 'body',
      why: `the request body is a stream longer than maxBufferSize (${policy.maxBufferSize} bytes), so it was sent once and cannot be replayed; raise maxBufferSize, or send bytes, a string or a Blob.`,
    };
  }
  if (retryAfterTooLong) return { reason: 'retry-after', why: `${retryAfterTooLong}.` };
  if (policy.budget && !policy.budget.tryWithdraw()) {
    return {
      reason: 'budget',
      why: `the retry budget is spent (ratio ${policy.budget.ratio}, windowMs ${policy.budget.windowMs}, minPerSecond ${policy.budget.minPerSecond}).`,
    };
  }
  return undefined;
}
