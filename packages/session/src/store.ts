// The session's `store` option: state shared by every session of a fleet (the processes whose
// stores have the same prefix), such as `createRedisStore()` from `@fetchstack/redis`. Each part
// is optional and typed by the package that uses it; each row of the table that uses a part
// declares `reads: ['store']` and takes its part from the value here.
//
// `store` is a session option only (a mount cannot set it): a fleet's state belongs to the
// whole session, as the cookie jar does. A mount that sets `limit` or `cache` uses the
// session's store for it, unless its own options name another store.

import type { SharedRefresh } from '@fetchstack/auth';
import type { CacheStore } from '@fetchstack/cache';
import type { CookieJar } from '@fetchstack/cookies';
import { describeUrlValue } from '@fetchstack/core/internal';
import type { LimitStore } from '@fetchstack/limit';
import type { RetryBudget, RetryBudgetOptions } from '@fetchstack/retry';

/**
 * State shared across a fleet. Every part is optional; the session uses the parts there are:
 * - `acquireSlot` / `releaseSlot` (a `LimitStore` from `@fetchstack/limit`): the `limit` caps
 *   hold across the fleet;
 * - `cache` (a `CacheStore` from `@fetchstack/cache`): the store of the session's `cache`,
 *   when the cache options name none;
 * - `cooldown` (a `CooldownStore`, used by the session itself): a `Retry-After` received by any
 *   session of the fleet makes the others wait before calling that origin;
 * - `retryBudget(options)` (a budget object of `@fetchstack/retry`): the session's retry budget
 *   holds across the fleet.
 */
export interface SessionStore extends Partial<LimitStore> {
  /** The store of the session's HTTP cache (when `cache` is on and names no store of its own). */
  cache?: CacheStore | undefined;
  /**
   * The fleet's cookie jar, a tough-cookie store: the session's jar keeps its cookies there
   * when `cookies` is `true` (the default). `flush()`, if it has one, resolves once the jar's
   * writes are stored (`session.close()` waits for it).
   */
  cookies?: SharedCookieStore | undefined;
  /**
   * The fleet's bearer tokens, by name: the session's `auth` bearer with `refresh` uses
   * `tokens('bearer')` (one refresh at a time across the fleet).
   */
  tokens?: ((name?: string) => SharedRefresh) | undefined;
  /** The `Retry-After` cool-downs per origin (the session's `cooldown` row). */
  cooldown?: CooldownStore | undefined;
  /**
   * The fleet's retry budget for these options: what `retry({ budget })` of
   * `@fetchstack/retry` takes (`deposit()`, `tryWithdraw()`, the three numbers), with its
   * counts shared by the fleet. The same options give the same budget.
   */
  retryBudget?(options: Required<RetryBudgetOptions>): FleetRetryBudget;
  /**
   * Tells `listener` when the store cannot be reached, once per outage, until the function it
   * returns is called: the session passes outages to its `storeError` hooks (`logger()` writes
   * one line), from creation until `close()`.
   */
  watchErrors?(listener: (error: unknown) => void): () => void;
}

/** A budget object as `retry({ budget })` takes it (the shape of a `RetryBudget`). */
export type FleetRetryBudget = Pick<
  RetryBudget,
  'ratio' | 'windowMs' | 'minPerSecond' | 'deposit' | 'tryWithdraw'
>;

/** An origin cooling down: until when (this process's clock, ms) and the status that asked for it. */
export interface Cooldown {
  /** `Date.now()` at which calls may go again. */
  until: number;
  /** The status of the response that carried `Retry-After` (429 or 503). */
  status: number;
}

/**
 * Where a `Retry-After` received by one session is kept so that every session sharing the
 * store waits it out before calling that origin again.
 */
export interface CooldownStore {
  /**
   * The cool-down of `origin` now, or `undefined` when it has none. Called before every
   * request: answer from memory (a promise only while the store is still loading what the
   * fleet knows, such as at start).
   */
  get(origin: string): Cooldown | undefined | Promise<Cooldown | undefined>;
  /**
   * Records that `origin` answered `status` with `Retry-After` = `ms`: the fleet waits until
   * now + `ms`, or longer if it already waits longer (the later deadline is kept). Must not
   * throw: a store that cannot be reached keeps it for this process.
   */
  set(origin: string, ms: number, status: number): void | Promise<void>;
}

/** A tough-cookie `Store` (what a tough-cookie `CookieJar` keeps its cookies in). */
type CookieStore = NonNullable<ConstructorParameters<typeof CookieJar>[0]>;

/** The fleet's cookie jar: a tough-cookie `Store` that may say when its writes are stored. */
export interface SharedCookieStore extends CookieStore {
  /** Resolves once the changes made so far are stored (`session.close()` waits for it). */
  flush?(): Promise<void>;
}

/** The session option that names the store. */
export interface StoreOption {
  /**
   * State shared by every session whose store has the same prefix (the processes of a fleet):
   * such as `createRedisStore({ url, prefix })` from `@fetchstack/redis`. With it the `limit`
   * caps hold across the fleet, and a `cache` without a store of its own uses `store.cache`.
   * The session never closes it (the store has its own `close()`). A mount cannot change it.
   * @default undefined (each session keeps its state to itself)
   * @example createSession({ store: createRedisStore({ url: 'redis://127.0.0.1:6379' }), limit: { concurrency: 8 } })
   */
  store?: SessionStore | undefined;
}

const hint = 'a store from createRedisStore() (from @fetchstack/redis)';

/** True when `value` is an object whose `methods` are functions. */
const has = (value: unknown, ...methods: string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');

const slots = (s: Record<string, unknown>) =>
  has(s, 'acquireSlot', 'releaseSlot')
    ? undefined
    : '"acquireSlot" and "releaseSlot" must both be functions (a limit store)';

/**
 * Each part a session may use, with the check of its value. A store must have at least one.
 * Exported so that the parts are listed in one place.
 */
export const storeParts: Readonly<
  Record<string, (store: Record<string, unknown>) => string | undefined>
> = {
  acquireSlot: slots,
  releaseSlot: slots,
  cooldown: (s) =>
    has(s.cooldown, 'get', 'set') ? undefined : '"cooldown" must be a cool-down store (get, set)',
  cookies: (s) =>
    has(s.cookies, 'findCookies', 'putCookie')
      ? undefined
      : '"cookies" must be a cookie store (a tough-cookie Store)',
  tokens: (s) =>
    has(s, 'tokens') ? undefined : '"tokens" must be a function (name) => shared token',
  retryBudget: (s) =>
    has(s, 'retryBudget') ? undefined : '"retryBudget" must be a function (options) => budget',
  cache: (s) =>
    has(s.cache, 'get', 'set', 'delete')
      ? undefined
      : '"cache" must be a cache store (get, set, delete)',
};

/** Checks the `store` option; a bad value throws a `TypeError` naming it and what to pass. */
export function checkStore(value: unknown, where: string): SessionStore | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${where}: "store" must be ${hint}; got ${describeUrlValue(value)}${typeof value === 'string' ? ' (pass createRedisStore({ url }), not the URL)' : ''}.`,
    );
  }
  const store = value as Record<string, unknown>;
  const present = Object.keys(storeParts).filter((part) => store[part] !== undefined);
  if (present.length === 0) {
    throw new TypeError(
      `${where}: "store" must be ${hint}; got an object with none of ${Object.keys(storeParts).join(', ')}.`,
    );
  }
  for (const part of present) {
    const problem = storeParts[part]?.(store);
    if (problem) throw new TypeError(`${where}: "store": ${problem}; pass ${hint}.`);
  }
  return value as SessionStore;
}

/** The store of a row's values (the session's, checked at creation). */
export function storeOf(values: object): SessionStore | undefined {
  return (values as StoreOption).store;
}
