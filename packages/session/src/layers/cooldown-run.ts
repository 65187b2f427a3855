// The cool-down layer's code (cooldown.ts loads this module on the first call through the
// layer, so a session without a store that has a `cooldown` part never loads it).
import type { Fetch, Middleware } from '@fetchstack/core';
import { abortReason, callOverrides, delay, signalOf, urlOf } from '@fetchstack/core/internal';
import { parseRetryAfter } from '@fetchstack/retry';
import type { Cooldown, CooldownStore } from '../store.js';
import type { RetryOption } from './retry.js';

/** The statuses whose `Retry-After` the fleet waits out. */
const cooling = new Set([429, 503]);
const defaultMax = 60_000;

/** How long a call may wait for an origin that cools down (`undefined`: it does not wait). */
function maxWait(value: RetryOption): number | undefined {
  if (value === false) return undefined;
  if (typeof value !== 'object' || value === null) return defaultMax;
  const after = (value as { retryAfter?: { respect?: unknown; max?: unknown } }).retryAfter;
  if (after?.respect === false) return undefined;
  return typeof after?.max === 'number' ? after.max : defaultMax;
}

/** The answer given instead of calling an origin that cools down for longer than allowed. */
function localAnswer(cooldown: Cooldown, left: number): Response {
  return new Response(null, {
    status: cooldown.status,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(left / 1000))) },
  });
}

/** The layer over `store`, for the stack's `retry` value (checked by the retry layer). */
export function makeCooldown(store: CooldownStore, retry: RetryOption): Middleware {
  const stackMax = maxWait(retry);
  // The wait allowed for one call: the stack's, or what its `init.fetchstack.retry` says (a
  // number of tries, or options without `retryAfter`, keeps the stack's). The retry layer above
  // has checked the value.
  const maxWaitOf = callOverrides<number>(
    'retry',
    'a number of retries or retry options',
    stackMax,
    () => stackMax,
    (value) =>
      typeof value === 'number' || (value as { retryAfter?: unknown }).retryAfter === undefined
        ? stackMax
        : maxWait(value as RetryOption),
  );
  return (next: Fetch): Fetch => {
    /** Sends the request and records a `Retry-After` in its answer. */
    const send = async (origin: string, input: Parameters<Fetch>[0], init?: RequestInit) => {
      const response = await next(input, init);
      if (cooling.has(response.status)) {
        const ms = parseRetryAfter(response.headers.get('retry-after'));
        if (ms !== undefined && ms > 0) {
          try {
            Promise.resolve(store.set(origin, ms, response.status)).catch(() => {});
          } catch {
            // A store that throws must not fail the call.
          }
        }
      }
      return response;
    };

    const waitOut = async (
      origin: string,
      input: Parameters<Fetch>[0],
      init: RequestInit | undefined,
      first: Cooldown | undefined | Promise<Cooldown | undefined>,
      max: number,
    ): Promise<Response> => {
      const signal = signalOf(input, init);
      let cooldown = await first;
      for (;;) {
        if (signal?.aborted) throw abortReason(signal);
        const left = cooldown ? cooldown.until - Date.now() : 0;
        if (!cooldown || left <= 0) return send(origin, input, init);
        if (left > max) return localAnswer(cooldown, left);
        await delay(left, signal);
        // Another session may have pushed the deadline further while this one waited.
        cooldown = await read(store, origin);
      }
    };

    return function cooled(input, init) {
      let origin: string;
      try {
        origin = urlOf(input).origin;
      } catch {
        return next(input, init);
      }
      const max = maxWaitOf(init);
      if (max === undefined) return send(origin, input, init);
      const now = read(store, origin);
      // The common case, nothing cooling down: no wait, no promise beyond the request's own.
      if (now === undefined || (!isThenable(now) && now.until <= Date.now())) {
        return send(origin, input, init);
      }
      return waitOut(origin, input, init, now, max);
    };
  };
}

function read(
  store: CooldownStore,
  origin: string,
): Cooldown | undefined | Promise<Cooldown | undefined> {
  try {
    const value = store.get(origin);
    return isThenable(value) ? Promise.resolve(value).catch(() => undefined) : value;
  } catch {
    return undefined;
  }
}

function isThenable(value: unknown): value is Promise<Cooldown | undefined> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
