import type { Fetch, Middleware } from '@fetchstack/core';
import {
  abortOf,
  abortReason,
  assertKnownKeys,
  assertOptionsObject,
  callOverrides,
  describeValue,
  extendInit,
  callSite as makeCallSite,
  factorySite as makeFactorySite,
  type OptionSite,
} from '@fetchstack/core/internal';
import { onDemand, TimeoutError, type TimeoutLimit } from './timeout-error.js';

/** The limits, in ms. Each is optional; leave one out (or `undefined`, or `false`) for no limit of that kind. */
export interface TimeoutOptions {
  /**
   * From the call until the final response's headers, retries and waits included.
   * Place this layer *outside* `retry()` for that (see `splitTimeout`).
   * @default undefined (no limit)
   * @example timeout({ total: 10_000 })
   */
  total?: number | false | undefined;
  /**
   * Each try, until its headers. Place the layer *inside* `retry()` so every try
   * gets its own clock; alone on a plain fetch there is one try, so it acts like `total`.
   * @default undefined (no limit)
   * @example timeout({ attempt: 3_000 })
   */
  attempt?: number | false | undefined;
  /**
   * The longest quiet gap while the body streams (requests' read timeout): the
   * clock runs while the reader waits for a chunk and restarts with every chunk.
   * Waiting for headers is `attempt`'s (or `total`'s) job, never `read`'s.
   * @default undefined (no limit)
   * @example timeout({ read: 10_000 })
   */
  read?: number | false | undefined;
}

/**
 * What one call may put in `init.fetchstack.timeout`: the values `timeout()` takes (a
 * number is `total`), merged over the layer's own limits (the call's keys win, and
 * `false` or `undefined` removes a limit); `false` turns every limit off for this call;
 * `true` keeps the layer's own.
 *
 * @example
 * await api(url, { fetchstack: { timeout: 120_000 } });
 * await api(url, { fetchstack: { timeout: { attempt: 1_000 } } });
 */
export type TimeoutOverride = number | TimeoutOptions | boolean;

const knownKeys = ['total', 'attempt', 'read'] as const;

/** Where limits are read, for the wording of errors: the factory, or one call's override. */
const factorySite = makeFactorySite('timeout');
const callSite = makeCallSite('timeout');

/** Which limits a layer enforces: all of them, or one half of `splitTimeout`. */
type Part = 'all' | 'outer' | 'inner';

interface Limits {
  /** Until headers: the smaller of total and attempt, with the name it is reported under. */
  headers: { ms: number; limit: TimeoutLimit } | undefined;
  read: number | undefined;
}

/**
 * Timeouts for fetch. `timeout(ms)` is `timeout({ total: ms })`; `timeout(false)` has no
 * limit of its own and enforces only what a call asks for.
 *
 * A timeout rejects with a `TimeoutError` (`name === 'TimeoutError'`, `limit`,
 * `ms`); a caller's own abort rejects with the caller's reason, at once. No timer
 * or listener outlives its request.
 *
 * One call can change the limits for itself with `init.fetchstack.timeout` (see
 * `TimeoutOverride`).
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { timeout } from '@fetchstack/timeout';
 * const api = wrap(fetch, timeout({ total: 10_000, read: 5_000 }));
 * const res = await api('https://example.com/');
 * await api('https://example.com/export', { fetchstack: { timeout: 120_000 } });
 */
export function timeout(limits: number | TimeoutOptions | false): Middleware {
  return layer(limits, 'all', signalLinkFor);
}

/**
 * The two halves of `timeout(opts)` for a stack with retries in it:
 * `outer` (the `total` limit) goes outside `retry()`, `inner` (`attempt` and
 * `read`) inside it, so each try gets its own attempt clock and the final body its
 * read clock. Both halves read a call's `init.fetchstack.timeout`, each for its own
 * limits; a half with nothing to enforce for a call passes it straight through.
 *
 * @example
 * const { outer, inner } = splitTimeout({ total: 30_000, attempt: 5_000, read: 10_000 });
 * const api = wrap(fetch, outer, retry(), inner);
 */
export function splitTimeout(limits: number | TimeoutOptions | false): {
  outer: Middleware;
  inner: Middleware;
} {
  return splitWith(limits, signalLinkFor);
}

/**
 * `splitTimeout` with a choice of how a call's abort reaches the fetch beneath: `linkFor(next)`
 * gives the link for a fetch. The session's layers pass one that keeps the abort in the call
 * context (`./context.ts`).
 */
export function splitWith(
  limits: number | TimeoutOptions | false,
  linkFor: (next: Fetch) => Link,
): { outer: Middleware; inner: Middleware } {
  return { outer: layer(limits, 'outer', linkFor), inner: layer(limits, 'inner', linkFor) };
}

/**
 * One layer: its limits are checked now; each call's are its own, or those its override asks
 * for, built (and checked) once per override object or number.
 */
function layer(
  limits: number | TimeoutOptions | false,
  part: Part,
  linkFor: (next: Fetch) => Link,
): Middleware {
  const base = limits === false ? {} : toOptions(limits, factorySite);
  const own = limitsFor(base, part);
  const limitsOf = callOverrides(
    'timeout',
    'a number of ms (the total), { total, attempt, read }',
    own,
    () => own,
    (value) =>
      limitsFor({ ...base, ...toOptions(value as number | TimeoutOptions, callSite) }, part),
  );
  return (next: Fetch): Fetch => {
    const link = linkFor(next);
    return function timed(input, init) {
      let limits: Limits | undefined;
      try {
        limits = limitsOf(init);
      } catch (error) {
        return Promise.reject(error);
      }
      return limits ? arm(next, link, limits, input, init) : next(input, init);
    };
  };
}

/** Checks `limits` (a `TypeError` naming the key) and returns them as options. */
function toOptions(limits: number | TimeoutOptions, site: OptionSite): TimeoutOptions {
  if (typeof limits === 'number') {
    checkMs(limits, site === factorySite ? `${site.label}: the timeout` : site.self);
    return { total: limits };
  }
  if (limits == null) {
    throw new TypeError(
      `${site.self}: pass a number of ms or { total, attempt, read }; got ${describeValue(limits)}.`,
    );
  }
  assertOptionsObject(limits, site.self);
  if (Object.hasOwn(limits, 'connect')) {
    throw new TypeError(
      `${site.label}: "${site.path}connect" is not a timeout this layer can enforce; it belongs to the transport: set it through @fetchstack/proxy or createSession({ timeout: { connect } }).`,
    );
  }
  assertKnownKeys(limits, knownKeys, site.self);
  for (const key of knownKeys) {
    const value = limits[key];
    if (value !== undefined && value !== false)
      checkMs(value, `${site.label}: "${site.path}${key}"`);
  }
  return limits;
}

/** The limits one part enforces; `undefined` when it has none. */
function limitsFor(options: TimeoutOptions, part: Part): Limits | undefined {
  const total = part !== 'inner' && options.total ? options.total : undefined;
  const attempt = part !== 'outer' && options.attempt ? options.attempt : undefined;
  const read = part !== 'outer' && options.read ? options.read : undefined;
  const headers: Limits['headers'] = attempt
    ? !total || attempt < total
      ? { ms: attempt, limit: 'attempt' }
      : { ms: total, limit: 'total' }
    : total
      ? { ms: total, limit: 'total' }
      : undefined;
  return headers || read ? { headers, read } : undefined;
}

// setTimeout fires at once above 2^31-1 ms: refuse such values rather than time out early.
const maxMs = 2 ** 31 - 1;
function checkMs(value: unknown, what: string): void {
  if (!(typeof value === 'number' && value > 0 && value <= maxMs)) {
    throw new TypeError(
      `${what} must be a positive number of ms (at most ${maxMs}); got ${describeValue(value)}. Leave it out for no limit.`,
    );
  }
}

/**
 * How a layer aborts the fetch beneath and follows the caller's abort: `abort(reason)`,
 * an `'abort'` listener and its `reason`, `release()` (drops the listener on the caller's
 * signal), and the init to hand beneath.
 */
export type Link = (
  input: string | URL | Request,
  init: RequestInit | undefined,
) => [
  {
    readonly reason: unknown;
    abort(reason: unknown): void;
    addEventListener(type: 'abort', listener: () => void): void;
    release(): void;
  },
  RequestInit,
];

/** A real `AbortSignal` in `init.signal`, linked to the caller's with one listener. */
const signalLink: Link = (input, init) => {
  const parent = abortOf(input, init);
  const controller = new AbortController();
  const signal = controller.signal;
  const onParent = () => controller.abort(abortReason(parent!));
  parent?.addEventListener('abort', onParent, { once: true });
  const release = () => parent?.removeEventListener('abort', onParent);
  return [
    {
      get reason() {
        return signal.reason;
      },
      abort(reason) {
        release();
        controller.abort(reason);
      },
      addEventListener: (type, listener) => signal.addEventListener(type, listener),
      release,
    },
    extendInit(init, { signal }),
  ];
};
const signalLinkFor = () => signalLink;

// One promise per call, settled by whichever comes first: the response, the fetch's error,
// the timer or the caller's abort (no async frame, no race, no extra promise).
function arm(
  next: Fetch,
  link: Link,
  { headers, read }: Limits,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const parent = abortOf(input, init);
  if (parent?.aborted) return Promise.reject(abortReason(parent));
  // The words of a TimeoutError and the body watcher: started now, so that neither a limit
  // that fires nor the response rarely waits for them.
  if (!onDemand.get()) onDemand.load().catch(() => {});
  const [abort, nextInit] = link(input, init);
  // A limit fired: abort the fetch beneath with the TimeoutError, then `end` with it.
  const timeUp = (limit: TimeoutLimit, ms: number, end: (error: unknown) => void) => {
    const fire = () => {
      const error = new TimeoutError(limit, ms, input, init);
      abort.abort(error);
      end(error);
    };
    if (onDemand.get()) fire();
    else onDemand.load().then(fire, end);
  };
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (bodyOwnsAbort: boolean) => {
      settled = true;
      clearTimeout(timer);
      if (!bodyOwnsAbort) abort.release();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle(false);
      reject(error);
    };
    if (headers) {
      timer = setTimeout(() => {
        // Settled now: neither the response nor the caller's abort can win any more.
        settle(false);
        timeUp(headers.limit, headers.ms, reject);
      }, headers.ms);
    }
    // The caller's abort rejects at once with the caller's reason (identity), even
    // where the fetch beneath would reject with a copy of it (workerd).
    if (parent) abort.addEventListener('abort', () => fail(abort.reason));
    let pending: Promise<Response>;
    try {
      pending = Promise.resolve(next(input, nextInit));
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
      // The body still listens to the call's abort: keep the caller's abort reaching it
      // until the body is done, then drop the listener.
      settle(true);
      const wrap = (m: typeof import('./on-demand.js')) =>
        m.wrapBody(
          response,
          read,
          (fail) => timeUp('read', read!, fail),
          () => abort.release(),
          // Chromium errors an aborted body with 'Failed to fetch'; give the caller's reason instead.
          (error) => (parent?.aborted ? abortReason(parent) : error),
        );
      const loaded = onDemand.get();
      if (loaded) {
        try {
          resolve(wrap(loaded));
        } catch (error) {
          reject(error);
        }
      } else {
        onDemand.load().then(wrap).then(resolve, reject);
      }
    }, fail);
  });
}
