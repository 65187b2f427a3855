import type { Fetch, Middleware } from '@fetchstack/core';
import {
  abortReason,
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  extendInit,
} from '@fetchstack/core/internal';
import { wrapBody } from './body.js';
import { link, signalOf } from './link.js';
import { TimeoutError, type TimeoutLimit } from './timeout-error.js';

/** The limits, in ms. Each is optional; leave one out (or `undefined`) for no limit of that kind. */
export interface TimeoutOptions {
  /**
   * From the call until the final response's headers, retries and waits included.
   * Place this layer *outside* `retry()` for that (see `splitTimeout`).
   * @default undefined (no limit)
   * @example timeout({ total: 10_000 })
   */
  total?: number | undefined;
  /**
   * Each try, until its headers. Place the layer *inside* `retry()` so every try
   * gets its own clock; alone on a plain fetch there is one try, so it acts like `total`.
   * @default undefined (no limit)
   * @example timeout({ attempt: 3_000 })
   */
  attempt?: number | undefined;
  /**
   * The longest quiet gap while the body streams (requests' read timeout): the
   * clock runs while the reader waits for a chunk and restarts with every chunk.
   * Waiting for headers is `attempt`'s (or `total`'s) job, never `read`'s.
   * @default undefined (no limit)
   * @example timeout({ read: 10_000 })
   */
  read?: number | undefined;
}

const knownKeys = ['total', 'attempt', 'read'] as const;
const where = 'timeout()';

interface Limits {
  /** Until headers: the smaller of total and attempt, with the name it is reported under. */
  headers?: { ms: number; limit: TimeoutLimit };
  read?: number;
}

/**
 * Timeouts for fetch. `timeout(ms)` is `timeout({ total: ms })`.
 *
 * A timeout rejects with a `TimeoutError` (`name === 'TimeoutError'`, `limit`,
 * `ms`); a caller's own abort rejects with the caller's reason, at once. No timer
 * or listener outlives its request.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { timeout } from '@fetchstack/timeout';
 * const api = wrap(fetch, timeout({ total: 10_000, read: 5_000 }));
 * const res = await api('https://example.com/');
 */
export function timeout(limits: number | TimeoutOptions): Middleware {
  const parsed = parse(limits);
  return (next: Fetch): Fetch => timeoutFetch(next, parsed);
}

/**
 * The two halves of `timeout(opts)` for a stack with retries in it:
 * `outer` (the `total` limit) goes outside `retry()`, `inner` (`attempt` and
 * `read`) inside it, so each try gets its own attempt clock and the final body its
 * read clock. A half with nothing to do is `undefined` (which `compose` skips).
 *
 * @example
 * const { outer, inner } = splitTimeout({ total: 30_000, attempt: 5_000, read: 10_000 });
 * const api = wrap(fetch, outer, retry(), inner);
 */
export function splitTimeout(limits: number | TimeoutOptions): {
  outer: Middleware | undefined;
  inner: Middleware | undefined;
} {
  const options = typeof limits === 'number' ? { total: limits } : limits;
  parse(limits); // validates, with the same messages
  const { total, attempt, read } = options;
  return {
    outer: total === undefined ? undefined : timeout({ total }),
    inner: attempt === undefined && read === undefined ? undefined : timeout({ attempt, read }),
  };
}

function parse(limits: number | TimeoutOptions): Limits {
  if (typeof limits === 'number') {
    checkMs(limits, `${where}: the timeout`);
    return { headers: { ms: limits, limit: 'total' } };
  }
  if (limits === undefined || limits === null) {
    throw new TypeError(
      `${where}: pass a number of ms or { total, attempt, read }; got ${describeValue(limits)}.`,
    );
  }
  assertOptionsObject(limits, where);
  if (Object.hasOwn(limits, 'connect')) {
    throw new TypeError(
      `${where}: "connect" is not a timeout this layer can enforce; it belongs to the transport: set it through @fetchstack/proxy or createSession({ timeout: { connect } }).`,
    );
  }
  assertKnownKeys(limits, knownKeys, where);
  const { total, attempt, read } = limits;
  for (const [key, value] of [
    ['total', total],
    ['attempt', attempt],
    ['read', read],
  ] as const) {
    if (value !== undefined) checkMs(value, `${where}: "${key}"`);
  }
  const out: Limits = {};
  if (total !== undefined || attempt !== undefined) {
    out.headers =
      attempt !== undefined && (total === undefined || attempt < total)
        ? { ms: attempt, limit: 'attempt' }
        : { ms: total!, limit: 'total' };
  }
  if (read !== undefined) out.read = read;
  return out;
}

// setTimeout fires at once above 2^31-1 ms: refuse such values rather than time out early.
const maxMs = 2 ** 31 - 1;
function checkMs(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxMs) {
    throw new TypeError(
      `${what} must be a positive number of ms (at most ${maxMs}); got ${describeValue(value)}. Leave it out for no limit.`,
    );
  }
}

function timeoutFetch(next: Fetch, limits: Limits): Fetch {
  const { headers, read } = limits;
  // One promise per call, settled by whichever comes first: the response, the fetch's
  // error, the timer or the caller's abort (no async frame, no race, no extra promise).
  return function timed(input, init) {
    const parent = signalOf(input, init);
    if (parent?.aborted) return Promise.reject(abortReason(parent));
    const linked = link(parent);
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onParentAbort: (() => void) | undefined;
      const settle = (bodyOwnsLink: boolean) => {
        settled = true;
        clearTimeout(timer);
        if (onParentAbort) parent!.removeEventListener('abort', onParentAbort);
        if (!bodyOwnsLink) linked.release();
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settle(false);
        reject(error);
      };
      if (headers) {
        timer = setTimeout(() => {
          const error = new TimeoutError(headers.limit, headers.ms, input, init);
          linked.abort(error);
          fail(error);
        }, headers.ms);
      }
      // The caller's abort rejects at once with the caller's reason (identity), even
      // where the fetch beneath would reject with a copy of it (workerd).
      if (parent) {
        onParentAbort = () => fail(abortReason(parent));
        parent.addEventListener('abort', onParentAbort, { once: true });
      }
      let pending: Promise<Response>;
      try {
        pending = Promise.resolve(next(input, extendInit(init, { signal: linked.signal })));
      } catch (error) {
        fail(error);
        return;
      }
      pending.then((response) => {
        if (settled) return;
        if (read === undefined && !parent) {
          settle(false);
          resolve(response);
          return;
        }
        // The body still uses the linked signal: keep the caller's abort reaching it
        // until the body is done, then drop the listener.
        settle(true);
        try {
          resolve(
            wrapBody(
              response,
              read,
              () => {
                const error = new TimeoutError('read', read!, input, init);
                linked.abort(error);
                return error;
              },
              linked.release,
              // Chromium errors an aborted body with 'Failed to fetch'; give the caller's reason instead.
              (error) => (parent?.aborted ? abortReason(parent) : error),
            ),
          );
        } catch (error) {
          reject(error);
        }
      }, fail);
    });
  };
}
