import {
  aFunction,
  failOption as fail,
  factorySite as makeFactorySite,
  maxTimerMs,
  readNumber as num,
  type OptionSite,
  type OptionTable,
  readOptions,
} from '@fetchstack/core/internal';
import {
  isBudget,
  RetryBudget,
  type RetryBudgetLike,
  type RetryBudgetOptions,
  readBudgetOptions,
} from './budget.js';

/** What `onRetry` receives before each retry's wait. */
export interface RetryInfo {
  /** The number of the retry about to start: 1 for the first retry. */
  attempt: number;
  /** How long, in ms, the wait before it will be. */
  delay: number;
  /** The request (method, URL, headers; no body). */
  request: Request;
  /** The failed try's response (its body is cancelled after `onRetry` returns). */
  response: Response | undefined;
  /** The failed try's error. */
  error: unknown;
}

/** Options of `retry()`. Every key is optional. */
export interface RetryOptions {
  /**
   * Retries after the first try (urllib3's `total`): `limit: 2` gives at most 3 tries.
   * @default 2
   * @example retry({ limit: 5 })
   */
  limit?: number;
  /**
   * Methods that are retried. POST and PATCH are not idempotent: list them to retry them.
   * @default ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']
   * @example retry({ methods: ['GET', 'POST'] })
   */
  methods?: readonly string[];
  /**
   * Statuses that are retried.
   * @default [408, 429, 500, 502, 503, 504]
   * @example retry({ statusCodes: [429, 503] })
   */
  statusCodes?: readonly number[];
  /**
   * The wait before retry n is `min(max, initial × factor^(n-1))` ms; with `jitter`
   * a random value between half of that and all of it.
   * @default { initial: 500, factor: 2, max: 30_000, jitter: true }
   * @example retry({ backoff: { initial: 100, jitter: false } })
   */
  backoff?: { initial?: number; factor?: number; max?: number; jitter?: boolean };
  /**
   * `Retry-After` (seconds or an HTTP-date) replaces the backoff wait when `respect`
   * is true. Above `max` ms the response is returned at once (or `RetryError` thrown
   * with `throwOnExhausted`) instead of waiting that long. A 413, 429 or 503 that
   * carries `Retry-After` is retried even when its status is not listed (as urllib3).
   * @default { respect: true, max: 60_000 }
   * @example retry({ retryAfter: { max: 10_000 } }) // never wait more than 10 s for a server
   */
  retryAfter?: { respect?: boolean; max?: number };
  /**
   * Retry network errors: connection refused or reset, DNS failure, a malformed
   * response, and a per-try (`attempt`) timeout from `@fetchstack/timeout` beneath.
   * Never the caller's abort, never a bad request (invalid header value...).
   * @default true
   * @example retry({ networkErrors: false }) // statuses only
   */
  networkErrors?: boolean;
  /**
   * When the last try still has a retryable status: `false` resolves with that
   * response (urllib3 `raise_on_status=False`), `true` throws a `RetryError`.
   * A last try that threw always rejects with a `RetryError`.
   * @default false
   * @example retry({ throwOnExhausted: true })
   */
  throwOnExhausted?: boolean;
  /**
   * Called before each retry's wait (awaited).
   * @default undefined
   * @example retry({ onRetry: ({ attempt, delay, response, error }) => console.warn(attempt, delay, response?.status ?? error) })
   */
  onRetry?: ((info: RetryInfo) => void | Promise<void>) | undefined;
  /**
   * Caps retries as a share of the traffic (Finagle's RetryBudget): options, or a
   * `RetryBudget` to share between layers (or any `RetryBudgetLike` object: `deposit()`,
   * `tryWithdraw()`, `ratio`, `windowMs`, `minPerSecond`). Off when left out.
   * @default undefined (no budget)
   * @example retry({ budget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 } })
   */
  budget?: RetryBudgetOptions | RetryBudgetLike | false | undefined;
  /**
   * The largest stream body (`ReadableStream`, a `Request`'s body, or an async iterable
   * such as a Node `Readable` or an async generator) buffered so it can be replayed.
   * A larger one is sent once, streaming, and not retried.
   * Strings, bytes, `Blob`, `FormData` and `URLSearchParams` are replayed without copying.
   * @default 4 MiB (4_194_304 bytes)
   * @example retry({ maxBufferSize: 16 * 1024 * 1024 })
   */
  maxBufferSize?: number;
}

/** The options, checked and with every default filled in. */
export interface Policy {
  limit: number;
  methods: ReadonlySet<string>;
  statusCodes: ReadonlySet<number>;
  backoff: { initial: number; factor: number; max: number; jitter: boolean };
  retryAfter: { respect: boolean; max: number };
  networkErrors: boolean;
  throwOnExhausted: boolean;
  onRetry: RetryOptions['onRetry'];
  budget: RetryBudgetLike | undefined;
  maxBufferSize: number;
}

export const defaultMethods = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'] as const;
export const defaultStatusCodes = [408, 429, 500, 502, 503, 504] as const;

/** The methods `methods` may list (the HTTP methods, WebDAV's included). */
const knownMethods =
  'GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH QUERY PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK REPORT SEARCH';

/** A list (`dflt` when left out) whose items must each pass `ok`, as a Set of `map(item)`. */
function list<T>(
  dflt: readonly T[],
  want: string,
  ok: (item: T) => unknown,
  map = (item: T) => item,
) {
  return (value: unknown, name: string, where: string) => {
    value ??= dflt;
    if (!Array.isArray(value)) fail(where, name, want, value);
    for (const item of value as T[]) if (!ok(item)) fail(where, name, want, item);
    return new Set((value as T[]).map(map));
  };
}

/** The options and how each is read (see `OptionTable`). */
const options: OptionTable = {
  limit: [2, '', true],
  methods: list<string>(
    defaultMethods,
    `an array of HTTP methods (${knownMethods.replace(/ /g, ', ')})`,
    (m) => typeof m === 'string' && knownMethods.split(' ').includes(m.toUpperCase()),
    (m) => m.toUpperCase(),
  ),
  statusCodes: list<number>(
    defaultStatusCodes,
    'an array of status codes (integers from 100 to 599)',
    (c) => Number.isInteger(c) && c >= 100 && c <= 599,
  ),
  backoff: {
    // A wait longer than a timer can hold would be no wait at all (see maxTimerMs).
    initial: [500, 'ms', false, 0, maxTimerMs],
    factor: (value, name, where) => {
      const factor = num(value, [2], name, where);
      if (factor < 1) fail(where, name, 'a number >= 1 (1 = constant waits)', factor);
      return factor;
    },
    // 30 s, or `initial` when that is longer; never shorter than `initial`.
    max: (value, name, where, { initial }) =>
      num(value, [Math.max(30_000, initial), 'ms', false, initial, maxTimerMs], name, where),
    jitter: true,
  },
  retryAfter: { respect: true, max: [60_000, 'ms', false, 0, maxTimerMs] },
  networkErrors: true,
  throwOnExhausted: false,
  onRetry: aFunction,
  // A budget object as it is; options make a RetryBudget.
  budget: (value, name, where) =>
    isBudget(value)
      ? value
      : value === undefined || value === false
        ? undefined
        : new RetryBudget(readBudgetOptions(value, `${where}: "${name}"`)),
  // 4 MiB, core's default replay limit.
  maxBufferSize: [4 * 1024 * 1024, 'bytes', true],
};

/** Where `retry()` options are read: the factory (one call's `init.fetchstack.retry`: override.ts). */
export const factorySite: OptionSite = makeFactorySite('retry');

/** The type of `normalize`, which `retry()` hands to its per-call code (see engine.ts). */
export type Normalize = typeof normalize;

/** The options, checked, with every default filled in. A number is `{ limit }`. */
export function normalize(given: RetryOptions | number | undefined, site = factorySite): Policy {
  return readOptions(
    typeof given === 'number' ? { limit: given } : given,
    options,
    site.label,
    site.path,
    site.self,
  ) as Policy;
}
