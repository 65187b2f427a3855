// The per-call code of the timeout layers: timeout.ts loads this module on the first call
// through any of them, so a page that makes a layer and never calls through it never loads it.
// The check of a call's limits (check.ts) is handed in by timeout.ts rather than imported: a
// module imported both up front and by code loaded later gets a chunk of its own in a
// bundler's code splitting, one more file a page loads up front and gzips apart.
import type { Fetch } from '@fetchstack/core';
import {
  type AbortLike,
  abortOf,
  abortReason,
  armedAt,
  callOverrides,
  callSite,
  deadlineOf,
  describeCall,
  extendInit,
  LazyAbort,
  readsLazyAbort,
  setSignalDeadline,
  withContext,
} from '@fetchstack/core/internal';
import type { toOptions } from './check.js';
import { type Deadline, deadline } from './deadline.js';
// Through the index, not the module itself (see index.ts).
import { TimeoutError, type TimeoutLimit } from './index.js';
import type { TimeoutOptions } from './timeout.js';

/** Which limits a layer enforces: one half of `splitTimeout` (`undefined`: all of them). */
export type Part = 'outer' | 'inner' | undefined;

export interface Limits {
  /** Until headers: the smaller of total and attempt, with the name it is reported under. */
  headers?: { ms: number; limit: TimeoutLimit };
  read?: number;
}

/** The limits of one call, for one layer (`undefined`: none). */
export type LimitsOf = (init: RequestInit | undefined) => Limits | undefined;

/** A layer's fetch; `since` (from `performance.now()`) is when a call that waited for this module came in. */
export type Timed = (
  input: string | URL | Request,
  init?: RequestInit,
  since?: number,
) => Promise<Response>;

const what: Record<TimeoutLimit, string> = {
  total:
    'no final response headers within the total timeout (it counts every try, the waits between tries, a wait for a limit slot and hooks)',
  attempt: 'no response headers within the per-try (attempt) timeout',
  read: 'the response body was silent longer than the read timeout',
};

const hint: Record<TimeoutLimit, string> = {
  total:
    'raise `total` if the server is slow but healthy, or if the call may wait that long before it is sent',
  attempt: 'raise `attempt` if one try may legitimately take longer',
  read: 'raise `read` if the server pauses between chunks',
};

/** `GET https://example.com/ timed out: ... (total: 200 ms); raise ...`, credentials removed. */
function timeoutError(
  limit: TimeoutLimit,
  ms: number,
  input: string | URL | Request,
  init: RequestInit | undefined,
): TimeoutError {
  const at = describeCall(input, init);
  return new TimeoutError(
    `${at.method} ${at.url} timed out: ${what[limit]} (${limit}: ${ms} ms); ${hint[limit]}.`,
    { limit, ms, ...at },
  );
}

/** Where a call's override is read, for the wording of errors. */
const site = callSite('timeout');

/**
 * The limits of each call for one layer: its own (`base`, already checked), or those a call's
 * override asks for, built and checked (by `check`, handed in: see the top of this file) once
 * per override object or number.
 */
export function layerLimits(base: TimeoutOptions, part: Part, check: typeof toOptions): LimitsOf {
  const own = limitsFor(base, part);
  return callOverrides(
    'timeout',
    'a number of ms (the total), { total, attempt, read }',
    own,
    () => own,
    (value) => limitsFor({ ...base, ...check(value as number | TimeoutOptions, site) }, part),
  );
}

/** The limits one part enforces; `undefined` when it has none. */
export function limitsFor(options: TimeoutOptions, part: Part): Limits | undefined {
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

/** The layer over `next`. */
export function timeoutFetch(next: Fetch, limitsOf: LimitsOf): Timed {
  // Beneath is a fetchstack stack that takes the call's abort from its context: no
  // AbortSignal is made unless something there asks for one.
  const lazy = (next as { [readsLazyAbort]?: unknown })[readsLazyAbort] === true;
  return function timed(input, init, since) {
    let limits: Limits | undefined;
    try {
      limits = limitsOf(init);
    } catch (error) {
      return Promise.reject(error);
    }
    return limits ? arm(next, lazy, limits, input, init, since) : next(input, init);
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

/**
 * One call in flight through a timeout layer, settled once by whichever comes first: the
 * response, the fetch's error, the deadline or the caller's abort. Its state lives here rather
 * than in closures, so a call costs one object and three small functions.
 */
class Armed {
  settled = false;
  timer: Deadline | undefined;
  resolve!: (response: Response) => void;
  reject!: (error: unknown) => void;

  constructor(
    readonly limits: Limits,
    readonly abort: LazyAbort,
    readonly parent: AbortLike | undefined,
    readonly input: string | URL | Request,
    readonly init: RequestInit | undefined,
  ) {}

  /** The limit until headers passed. */
  expire(): void {
    const { limit, ms } = this.limits.headers!;
    const error = timeoutError(limit, ms, this.input, this.init);
    this.abort.abort(error);
    this.fail(error);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settle(false);
    this.reject(error);
  }

  settle(bodyOwnsAbort: boolean): void {
    this.settled = true;
    this.timer?.cancel();
    if (!bodyOwnsAbort) this.abort.release();
  }

  answer(response: Response): void {
    if (this.settled) return;
    const { read } = this.limits;
    const { abort, parent, input, init } = this;
    if (read === undefined && !parent) {
      this.settle(false);
      this.resolve(response);
      return;
    }
    // The body still listens to the call's abort: keep the caller's abort reaching it
    // until the body is done, then drop the listener.
    this.settle(true);
    const wrap = (m: typeof import('./body.js')) =>
      m.wrapBody(
        response,
        read,
        () => {
          const error = timeoutError('read', read!, input, init);
          abort.abort(error);
          return error;
        },
        () => abort.release(),
        // Chromium errors an aborted body with 'Failed to fetch'; give the caller's reason instead.
        (error) => (parent?.aborted ? abortReason(parent) : error),
      );
    if (bodyModule) {
      try {
        this.resolve(wrap(bodyModule));
      } catch (error) {
        this.reject(error);
      }
    } else {
      loadBody().then(wrap).then(this.resolve, this.reject);
    }
  }
}

/** The abort's `AbortSignal`, with the deadline known for it too. */
function signalWith(abort: LazyAbort): AbortSignal {
  const signal = abort.signal();
  if (abort.deadline !== undefined) setSignalDeadline(signal, abort.deadline);
  return signal;
}

/**
 * The call whose promise `capture` is making: set just before `new Promise(capture)`, which
 * runs it at once. One executor (and one `expire`) for every call instead of a closure each.
 */
let making: Armed | undefined;

function capture(resolve: (response: Response) => void, reject: (error: unknown) => void): void {
  making!.resolve = resolve;
  making!.reject = reject;
  making = undefined;
}

function expire(call: Armed): void {
  call.expire();
}

function arm(
  next: Fetch,
  lazy: boolean,
  limits: Limits,
  input: string | URL | Request,
  init: RequestInit | undefined,
  since: number | undefined,
): Promise<Response> {
  const { headers, read } = limits;
  const parent = abortOf(input, init);
  if (parent?.aborted) return Promise.reject(abortReason(parent));
  // A call that waited for this module to load has what is left of its time (whole ms, never
  // early); none left, it fails without a request.
  let ms = headers?.ms;
  // The clock, read once: the deadline, and what is left of the time of a call that waited.
  const start = headers ? performance.now() : 0;
  if (since !== undefined && headers) {
    ms = Math.ceil(since + headers.ms - start);
    if (ms <= 0) return Promise.reject(timeoutError(headers.limit, headers.ms, input, init));
  }
  // Started now, so that the response rarely waits for it.
  if (!bodyModule && (read !== undefined || parent)) loadBody().catch(() => {});
  const abort = new LazyAbort(input, init, parent);
  if (headers) {
    const above = deadlineOf(parent);
    const at = start + ms!;
    abort.deadline = above !== undefined && above < at ? above : at;
  }
  const call = new Armed(limits, abort, parent, input, init);
  making = call;
  const result = new Promise<Response>(capture);
  if (headers) call.timer = deadline(ms!, expire, call, start);
  // The caller's abort rejects at once with the caller's reason (identity), even
  // where the fetch beneath would reject with a copy of it (workerd).
  if (parent) abort.addEventListener('abort', () => call.fail(abort.reason));
  let pending: Promise<Response>;
  // The layers beneath that count the call now (a session's retry budget) take this reading
  // instead of reading the clock again; put back once the call is handed down.
  const outer = armedAt.at;
  if (headers) armedAt.at = start;
  try {
    pending = Promise.resolve(
      next(
        input,
        lazy ? withContext(init, { abort }) : extendInit(init, { signal: signalWith(abort) }),
      ),
    );
  } catch (error) {
    call.fail(error);
    return result;
  } finally {
    armedAt.at = outer;
  }
  pending.then(
    (response) => call.answer(response),
    (error: unknown) => call.fail(error),
  );
  return result;
}
