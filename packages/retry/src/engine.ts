// The rest of the retry mechanism: what happens once a first try has failed in a way that may
// be retried (the decision for an error, the give-up rules, the waits, `onRetry`, the tries
// after the first). retry.ts loads it when a layer is made and waits for it only when a first
// try fails, so a bundle whose calls succeed never waits for it and a page does not load it
// up front.
import type { Fetch } from '@fetchstack/core';
import {
  delay,
  describeRequest,
  discard,
  type Replay,
  Request,
  urlOf,
  withContext,
} from '@fetchstack/core/internal';
// Through the index, not the modules themselves (see index.ts).
import { type GiveUpReason, isNetworkError, RetryError } from './index.js';
import type { Policy } from './options.js';
import { exhaustedNetworkError, isAttemptTimeout, waitBefore } from './policy.js';
import { retryableResponse } from './retryable.js';

export { prepareReplay } from '@fetchstack/core/internal';

/**
 * Goes on from the first try's outcome (`response`, or the `error` it threw): retries while
 * the policy says so, and settles as the call does.
 */
export async function afterFirstTry(
  next: Fetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
  policy: Policy,
  replay: Replay,
  signal: AbortSignal | undefined,
  response: Response | undefined,
  error: unknown,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      const [tryInput, tryInit] = replay.args();
      response = undefined;
      error = undefined;
      try {
        response = await next(tryInput, withContext(tryInit, { attempt }));
      } catch (caught) {
        error = caught;
      }
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
      const own = response ? undefined : exhaustedNetworkError(error, input, attempt, stop.reason);
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
