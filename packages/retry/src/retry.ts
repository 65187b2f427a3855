// The retry mechanism: calls `next` again while the policy says so.
import type { Fetch, Middleware } from '@fetchstack/core';
import {
  delay,
  headersOf,
  isRequest,
  methodOf,
  urlOf,
  withContext,
} from '@fetchstack/core/internal';
import { plainReplay, prepareReplay, type Replay } from './body.js';
import { normalize, type Policy, type RetryOptions } from './options.js';
import {
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
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { retry } from '@fetchstack/retry';
 * const api = wrap(fetch, retry({ limit: 3, statusCodes: [429, 503] }));
 * const res = await api('https://example.com/');
 */
export function retry(options?: RetryOptions | number): Middleware {
  const policy = normalize(options);
  return (next: Fetch): Fetch => retryFetch(next, policy);
}

function retryFetch(next: Fetch, policy: Policy): Fetch {
  return async function retrying(input, init) {
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
          : policy.networkErrors && (isNetworkError(error) || isAttemptTimeout(error)));
      if (!retryable) {
        if (response) return response;
        throw error;
      }

      const wait = waitBefore(policy, attempt, response);
      const stop = giveUp(policy, attempt, replay, wait.giveUp);
      if (stop) {
        if (response && !policy.throwOnExhausted) return response;
        throw new RetryError(input, init, { attempts: attempt, ...stop, response, error });
      }

      try {
        if (policy.onRetry) {
          await policy.onRetry({
            attempt,
            delay: wait.ms,
            request: describeRequest(input, init, method),
            response,
            error,
          });
        }
      } finally {
        // Frees the connection of a response nobody will read (onRetry may have read it).
        if (response?.body && !response.bodyUsed) response.body.cancel().catch(() => {});
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
  if (replay.notReplayable) return { reason: 'body', why: `${replay.notReplayable}.` };
  if (retryAfterTooLong) return { reason: 'retry-after', why: `${retryAfterTooLong}.` };
  if (policy.budget && !policy.budget.tryWithdraw()) {
    return {
      reason: 'budget',
      why: `the retry budget is spent (ratio ${policy.budget.ratio}, windowMs ${policy.budget.windowMs}, minPerSecond ${policy.budget.minPerSecond}).`,
    };
  }
  return undefined;
}

function signalOf(
  input: string | URL | Request,
  init: RequestInit | undefined,
): AbortSignal | undefined {
  // As fetch reads it: `signal: null` in init means none, `undefined` means not given.
  if (init?.signal !== undefined) return init.signal ?? undefined;
  return isRequest(input) ? input.signal : undefined;
}

/** The request as `onRetry` sees it: method, URL and headers, no body. */
function describeRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  method: string,
): Request {
  const url = urlOf(input);
  const headers = headersOf(input, init);
  try {
    return new Request(url, { method, headers });
  } catch {
    // A method the platform will not put in a Request (TRACE): the URL and headers still tell.
    return new Request(url, { headers });
  }
}
