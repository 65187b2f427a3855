import {
  assertKnownKeys,
  assertNumber,
  assertOptionsObject,
  defaultReplayLimit,
  describeValue,
  callSite as makeCallSite,
  factorySite as makeFactorySite,
  type OptionSite,
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
   * The largest stream body (`ReadableStream`, or a `Request`'s body) buffered so it
   * can be replayed. A larger one is sent once, streaming, and not retried.
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

const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
  // WebDAV
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'REPORT',
  'SEARCH',
]);

/** Where `retry()` options are read: the factory, or one call's `init.fetchstack.retry`. */
export const factorySite: OptionSite = makeFactorySite('retry');
export const callSite: OptionSite = makeCallSite('retry');

const keys = [
  'limit',
  'methods',
  'statusCodes',
  'backoff',
  'retryAfter',
  'networkErrors',
  'throwOnExhausted',
  'onRetry',
  'budget',
  'maxBufferSize',
] as const;

/** The options, checked, with every default filled in. A number is `{ limit }`. */
export function normalize(options: RetryOptions | number | undefined, site = factorySite): Policy {
  if (typeof options === 'number') options = { limit: options };
  const where = site.label;
  const name = (key: string) => `${site.path}${key}`;
  const fail = (key: string, want: string, got: unknown): never => {
    throw new TypeError(`${where}: "${name(key)}" must be ${want}; got ${describeValue(got)}.`);
  };
  const nested = (key: string) => `${where}: "${name(key)}"`;
  assertOptionsObject(options, site.self);
  const o = options ?? {};
  assertKnownKeys(o, keys, site.self);

  const limit = o.limit ?? 2;
  assertNumber(limit, name('limit'), where, { integer: true });

  const methodList = o.methods ?? defaultMethods;
  if (!Array.isArray(methodList)) fail('methods', 'an array of method names', methodList);
  const methods = new Set<string>();
  for (const m of methodList) {
    if (typeof m !== 'string' || !knownMethods.has(m.toUpperCase())) {
      fail('methods', `an array of HTTP methods (${[...knownMethods].join(', ')})`, m);
    }
    methods.add(m.toUpperCase());
  }

  const codeList = o.statusCodes ?? defaultStatusCodes;
  if (!Array.isArray(codeList)) fail('statusCodes', 'an array of status codes', codeList);
  for (const c of codeList) {
    if (!Number.isInteger(c) || c < 100 || c > 599)
      fail('statusCodes', 'an array of integers from 100 to 599', c);
  }

  assertOptionsObject(o.backoff, nested('backoff'));
  assertKnownKeys(o.backoff ?? {}, ['initial', 'factor', 'max', 'jitter'], nested('backoff'));
  const { initial = 500, factor = 2, jitter = true } = o.backoff ?? {};
  assertNumber(initial, name('backoff.initial'), where, { unit: 'ms' });
  assertNumber(factor, name('backoff.factor'), where);
  if (factor < 1) fail('backoff.factor', 'a number >= 1 (1 = constant waits)', factor);
  const max = o.backoff?.max ?? Math.max(30_000, initial);
  assertNumber(max, name('backoff.max'), where, { min: initial, unit: 'ms' });
  if (typeof jitter !== 'boolean') fail('backoff.jitter', 'true or false', jitter);

  assertOptionsObject(o.retryAfter, nested('retryAfter'));
  assertKnownKeys(o.retryAfter ?? {}, ['respect', 'max'], nested('retryAfter'));
  const { respect = true, max: retryAfterMax = 60_000 } = o.retryAfter ?? {};
  if (typeof respect !== 'boolean') fail('retryAfter.respect', 'true or false', respect);
  assertNumber(retryAfterMax, name('retryAfter.max'), where, { unit: 'ms' });

  const networkErrors = o.networkErrors ?? true;
  if (typeof networkErrors !== 'boolean') fail('networkErrors', 'true or false', networkErrors);
  const throwOnExhausted = o.throwOnExhausted ?? false;
  if (typeof throwOnExhausted !== 'boolean')
    fail('throwOnExhausted', 'true or false', throwOnExhausted);
  if (o.onRetry !== undefined && typeof o.onRetry !== 'function')
    fail('onRetry', 'a function', o.onRetry);

  let budget: RetryBudgetLike | undefined;
  if (isBudget(o.budget)) budget = o.budget;
  else if (o.budget !== undefined && o.budget !== false)
    budget = new RetryBudget(readBudgetOptions(o.budget, nested('budget')));

  const maxBufferSize = o.maxBufferSize ?? defaultReplayLimit;
  assertNumber(maxBufferSize, name('maxBufferSize'), where, { integer: true, unit: 'bytes' });

  return {
    limit,
    methods,
    statusCodes: new Set(codeList),
    backoff: { initial, factor, max, jitter },
    retryAfter: { respect, max: retryAfterMax },
    networkErrors,
    throwOnExhausted,
    onRetry: o.onRetry,
    budget,
    maxBufferSize,
  };
}
