import type { Fetch, Middleware } from '@fetchstack/core';
import {
  abortOf,
  abortReason,
  assertKnownKeys,
  assertOptionsObject,
  callOverrides,
  describeValue,
  extendInit,
  LazyAbort,
  callSite as makeCallSite,
  factorySite as makeFactorySite,
  type OptionSite,
  readsLazyAbort,
  withContext,
} from '@fetchstack/core/internal';
import { type Deadline, deadline } from './deadline.js';
import { TimeoutError, type TimeoutLimit } from './timeout-error.js';

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
  headers?: { ms: number; limit: TimeoutLimit };
  read?: number;
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
  const limitsOf = layerLimits(limits, 'all');
  return (next: Fetch): Fetch => timeoutFetch(next, limitsOf);
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
  const outer = layerLimits(limits, 'outer');
  const inner = layerLimits(limits, 'inner');
  return {
    outer: (next: Fetch): Fetch => timeoutFetch(next, outer),
    inner: (next: Fetch): Fetch => timeoutFetch(next, inner),
  };
}

/**
 * The limits of each call for one layer: its own, or those a call's override asks for,
 * built (and checked) once per override object or number.
 */
function layerLimits(
  limits: number | TimeoutOptions | false,
  part: Part,
): (init: RequestInit | undefined) => Limits | undefined {
  const base = limits === false ? {} : toOptions(limits, factorySite);
  const own = limitsFor(base, part);
  return callOverrides(
    'timeout',
    'a number of ms (the total), { total, attempt, read }',
    own,
    () => own,
    (value) =>
      limitsFor({ ...base, ...toOptions(value as number | TimeoutOptions, callSite) }, part),
  );
}

/** Checks `limits` (a `TypeError` naming the key) and returns them as options. */
function toOptions(limits: number | TimeoutOptions, site: OptionSite): TimeoutOptions {
  if (typeof limits === 'number') {
    checkMs(limits, site === factorySite ? `${site.label}: the timeout` : site.self);
    return { total: limits };
  }
  if (limits === undefined || limits === null) {
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
  const total = part === 'inner' ? undefined : msOf(options.total);
  const attempt = part === 'outer' ? undefined : msOf(options.attempt);
  const read = part === 'outer' ? undefined : msOf(options.read);
  const out: Limits = {};
  if (total !== undefined || attempt !== undefined) {
    out.headers =
      attempt !== undefined && (total === undefined || attempt < total)
        ? { ms: attempt, limit: 'attempt' }
        : { ms: total as number, limit: 'total' };
  }
  if (read !== undefined) out.read = read;
  return out.headers || out.read !== undefined ? out : undefined;
}

function msOf(value: number | false | undefined): number | undefined {
  return value === false ? undefined : value;
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

function timeoutFetch(
  next: Fetch,
  limitsOf: (init: RequestInit | undefined) => Limits | undefined,
): Fetch {
  // Beneath is a fetchstack stack that takes the call's abort from its context: no
  // AbortSignal is made unless something there asks for one.
  const lazy = (next as { [readsLazyAbort]?: unknown })[readsLazyAbort] === true;
  return function timed(input, init) {
    let limits: Limits | undefined;
    try {
      limits = limitsOf(init);
    } catch (error) {
      return Promise.reject(error);
    }
    return limits ? arm(next, lazy, limits, input, init) : next(input, init);
  };
}

// The body wrapper (a read limit, or a caller's signal that must keep reaching the body):
// loaded when a call first needs it, and used directly once loaded.
let bodyModule: typeof import('./body.js') | undefined;
let loadingBody: Promise<typeof import('./body.js')> | undefined;
function loadBody(): Promise<typeof import('./body.js')> {
  loadingBody ??= import('./body.js').then(
    (m) => (bodyModule = m),
    (error: unknown) => {
      loadingBody = undefined;
      throw error;
    },
  );
  return loadingBody;
}

// One promise per call, settled by whichever comes first: the response, the fetch's error,
// the timer or the caller's abort (no async frame, no race, no extra promise).
function arm(
  next: Fetch,
  lazy: boolean,
  limits: Limits,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const { headers, read } = limits;
  const parent = abortOf(input, init);
  if (parent?.aborted) return Promise.reject(abortReason(parent));
  // Started now, so that the response rarely waits for it.
  if (!bodyModule && (read !== undefined || parent)) loadBody().catch(() => {});
  const abort = new LazyAbort(input, init);
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let timer: Deadline | undefined;
    const settle = (bodyOwnsAbort: boolean) => {
      settled = true;
      timer?.cancel();
      if (!bodyOwnsAbort) abort.release();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle(false);
      reject(error);
    };
    if (headers) {
      timer = deadline(headers.ms, () => {
        const error = new TimeoutError(headers.limit, headers.ms, input, init);
        abort.abort(error);
        fail(error);
      });
    }
    // The caller's abort rejects at once with the caller's reason (identity), even
    // where the fetch beneath would reject with a copy of it (workerd).
    if (parent) abort.addEventListener('abort', () => fail(abort.reason));
    let pending: Promise<Response>;
    try {
      pending = Promise.resolve(
        next(
          input,
          lazy ? withContext(init, { abort }) : extendInit(init, { signal: abort.signal() }),
        ),
      );
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
      const wrap = (m: typeof import('./body.js')) =>
        m.wrapBody(
          response,
          read,
          () => {
            const error = new TimeoutError('read', read!, input, init);
            abort.abort(error);
            return error;
          },
          () => abort.release(),
          // Chromium errors an aborted body with 'Failed to fetch'; give the caller's reason instead.
          (error) => (parent?.aborted ? abortReason(parent) : error),
        );
      if (bodyModule) {
        try {
          resolve(wrap(bodyModule));
        } catch (error) {
          reject(error);
        }
      } else {
        loadBody().then(wrap).then(resolve, reject);
      }
    }, fail);
  });
}
