// The per-call code of a retry layer: the per-call overrides, the first try, and what happens
// once a try has failed in a way that may be retried (the decision for an error, the give-up
// rules, the waits, `onRetry`, the tries after the first). retry.ts starts loading it (one
// import()) when a layer is made, and the first call through a layer waits for it, so a page's
// first load does not carry it.
import type { Fetch, Middleware } from '@fetchstack/core';
import {
  type AbortLike,
  abortable,
  abortOf,
  callLabel,
  contextOf,
  crossOriginInBrowser,
  deadlineOf,
  delay,
  describeCall,
  describeRequest,
  discard,
  hasNoBody,
  type Input,
  isRequest,
  methodOf,
  plainReplay,
  prepareReplay,
  type Replay,
  Request,
  runtime,
  signalOf,
  urlOf,
  withContext,
} from '@fetchstack/core/internal';
// Through the index, not the modules themselves (see index.ts).
import { type GiveUpReason, isNetworkError, RetryError } from './index.js';
import type { Normalize, Policy, RetryOptions } from './options.js';
import { policies } from './override.js';
import { exhaustedNetworkError, isAttemptTimeout, waitBefore } from './policy.js';
import { methodAllowed, retryableResponse } from './retryable.js';

/** The context of a first try (one object for every call: contexts are never changed). */
const FIRST = { attempt: 1 } as const;

/**
 * The first try, as a promise even when `next` throws. A call context without `attempt` is a
 * first try (readers take a missing one as 1), so the call goes down as it came unless a
 * retry layer above set another attempt: no copy of `init` for most calls.
 */
function firstTry(next: Fetch, input: Input, init: RequestInit | undefined): Promise<Response> {
  try {
    return next(input, contextOf(init).attempt === undefined ? init : withContext(init, FIRST));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The layer of `retry(base)`, whose options `normalize` has checked (`own`; none for
 * `retry(false)`). `retry()` hands `normalize` in (for the per-call overrides) so that this
 * code imports nothing of the option checks: a module imported both up front and by code
 * loaded later gets a chunk of its own in a bundler's code splitting, one more file a page
 * loads up front and gzips apart (measured in the lean session's browser build: 0.25 KB).
 */
export function layer(
  normalize: Normalize,
  base: RetryOptions | undefined,
  own: Policy | undefined,
  off: boolean,
): Middleware {
  const policyOf = policies(normalize, base, own, off);
  return (next: Fetch): Fetch =>
    // Not an async function: most calls are one try whose response is not retried, and they
    // pay for one `then()` and nothing else.
    function retrying(input, init) {
      let policy: Policy | undefined;
      let abort: AbortLike | undefined;
      try {
        policy = policyOf(init);
        if (!policy) return firstTry(next, input, init);
        policy.budget?.deposit();
        if (!methodAllowed(policy, methodOf(input, init))) return firstTry(next, input, init);
        // A body to make replayable first (read into memory up to maxBufferSize).
        if (!hasNoBody(input, init)) return withBody(next, input, init, policy);
        // Read without making an AbortSignal (a total timeout above may have armed the call
        // without one); one is made only for what needs it (the waits).
        abort = abortOf(input, init);
      } catch (error) {
        // A bad per-call override, or a call fetch itself would refuse: a rejection, as fetch's.
        return Promise.reject(error);
      }
      return fromFirstTry(next, input, init, policy, abort, input, init, undefined);
    };
}

/** A call with a body that must be read before the first try, so that a retry can send it again. */
async function withBody(
  next: Fetch,
  input: Input,
  init: RequestInit | undefined,
  policy: Policy,
): Promise<Response> {
  const abort = abortOf(input, init);
  const replay = await prepareReplay(input, init, policy.maxBufferSize, signalOf(input, init));
  const [tryInput, tryInit] = replay.args();
  return fromFirstTry(next, input, init, policy, abort, tryInput, tryInit, replay);
}

/**
 * The first try (`tryInput`, `tryInit`), and what follows it: most calls end with its response
 * (a status that is not retried); anything else goes on in `afterFirstTry`. `replay` is
 * `undefined` for a call without a body, whose every try gets the call's own arguments.
 */
function fromFirstTry(
  next: Fetch,
  input: Input,
  init: RequestInit | undefined,
  policy: Policy,
  abort: AbortLike | undefined,
  tryInput: Input,
  tryInit: RequestInit | undefined,
  replay: Replay | undefined,
): Promise<Response> {
  return firstTry(next, tryInput, tryInit).then(
    (response) =>
      abort?.aborted || !retryableResponse(policy, response)
        ? response
        : onward(next, input, init, policy, replay, response),
    (error: unknown) => onward(next, input, init, policy, replay, undefined, error),
  );
}

/** `afterFirstTry` from the first try's outcome, for a call that may be retried. */
function onward(
  next: Fetch,
  input: Input,
  init: RequestInit | undefined,
  policy: Policy,
  replay: Replay | undefined,
  response: Response | undefined,
  error?: unknown,
): Promise<Response> {
  return afterFirstTry(
    next,
    input,
    init,
    policy,
    replay ?? plainReplay(input, init),
    signalOf(input, init),
    response,
    error,
  );
}

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
  error?: unknown,
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
        : policy.networkErrors &&
          (isNetworkError(error, resolved(input)) || isAttemptTimeout(error)) &&
          !browserRefusal(input, init));
    if (!retryable) {
      if (response) return response;
      throw error;
    }

    const wait = waitBefore(policy, attempt, response);
    const stop = giveUp(policy, attempt, replay, wait.giveUp ?? pastDeadline(input, init, wait.ms));
    if (stop) {
      if (response && !policy.throwOnExhausted) return response;
      // A network failure ends as fetch's own TypeError (with `attempts`), not a RetryError.
      const own = response ? undefined : exhaustedNetworkError(error, input, attempt, stop.reason);
      if (own) throw own;
      throw new RetryError(
        `${callLabel(input, init)} failed after ${attempt} attempt${attempt === 1 ? '' : 's'} (last: ${response ? `status ${response.status}` : describeError(error)}); ${stop.why}`,
        { at: describeCall(input, init), attempts: attempt, reason: stop.reason, response, error },
      );
    }

    try {
      if (policy.onRetry) {
        // The caller's abort ends the wait for onRetry too (it runs on; its result is not awaited).
        await abortable(
          Promise.resolve(
            policy.onRetry({
              attempt,
              delay: wait.ms,
              // Never undefined here: a call the platform refuses fails before any retry.
              request: describeRequest(input, init) ?? new Request(urlOf(input)),
              response,
              error,
            }),
          ),
          signal,
        );
      }
    } finally {
      // Frees the connection of a response nobody will read (onRetry may have read it).
      discard(response);
    }
    await delay(wait.ms, signal);
  }
}

/**
 * Why the wait before the next try is not started: it would end after the deadline of a
 * timeout above (the call would then fail with that timeout, and the response it has now would
 * be lost); `undefined` when it fits, or there is no such deadline.
 */
function pastDeadline(
  input: Input,
  init: RequestInit | undefined,
  ms: number,
): { reason: GiveUpReason; why: string } | undefined {
  const deadline = deadlineOf(abortOf(input, init));
  if (deadline === undefined) return undefined;
  const left = deadline - performance.now();
  if (ms < left) return undefined;
  return {
    reason: 'timeout',
    why: `the wait before the next try (${Math.round(ms)} ms) would end after the total timeout (${Math.max(0, Math.round(left))} ms left), so no retry waits for it.`,
  };
}

function giveUp(
  policy: Policy,
  attempt: number,
  replay: Replay,
  early: string | { reason: GiveUpReason; why: string } | undefined,
): { reason: GiveUpReason; why: string } | undefined {
  if (attempt > policy.limit)
    return { reason: 'limit', why: `the retry limit (${policy.limit}) is reached.` };
  if (replay.notReplayable) {
    return {
      reason: 'body',
      why: `the request body is a stream longer than maxBufferSize (${policy.maxBufferSize} bytes), so it was sent once and cannot be replayed; raise maxBufferSize, or send bytes, a string or a Blob.`,
    };
  }
  if (typeof early === 'string') return { reason: 'retry-after', why: `${early}.` };
  if (early) return early;
  if (policy.budget && !policy.budget.tryWithdraw()) {
    return {
      reason: 'budget',
      why: `the retry budget is spent (ratio ${policy.budget.ratio}, windowMs ${policy.budget.windowMs}, minPerSecond ${policy.budget.minPerSecond}).`,
    };
  }
  return undefined;
}

/** The last try's error, for the message: name, message, its cause's message and code. */
function describeError(error: unknown): string {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null))
    return String(error);
  const e = error as Error & { code?: unknown; cause?: any };
  const code =
    typeof e.code === 'string'
      ? e.code
      : typeof e.cause?.code === 'string'
        ? e.cause.code
        : undefined;
  const causeMessage = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.name}: ${e.message}${causeMessage}${code ? ` [${code}]` : ''}`;
}

/**
 * The call's input with a relative URL resolved as fetch resolved it (in a page, against the
 * page), so that `isNetworkError` does not take it for a URL fetch refuses; as it is otherwise.
 */
function resolved(input: Input): Input {
  try {
    return urlOf(input);
  } catch {
    return input;
  }
}

/**
 * A browser reports some refusals as the same "Failed to fetch" as a network failure, though
 * the same call fails the same way again: a body that does not match the call's `integrity`;
 * `mode: 'same-origin'` to another origin and `cache: 'only-if-cached'` that the browser's cache
 * cannot answer (both send nothing). Such a call is not retried there (on servers
 * `isNetworkError` tells them apart).
 */
function browserRefusal(input: Input, init: RequestInit | undefined): boolean {
  if (runtime !== 'browser') return false;
  const request = isRequest(input) ? input : undefined;
  return (
    !!(init?.integrity ?? request?.integrity) ||
    (init?.cache ?? request?.cache) === 'only-if-cached' ||
    ((init?.mode ?? request?.mode) === 'same-origin' && crossOriginInBrowser(urlOf(input)))
  );
}
