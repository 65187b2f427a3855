// The options in effect for one cache layer (or one call's override), from options already
// checked (check.ts). Kept apart from options.ts so that the published types of the options do
// not reach the policy library, and from check.ts so that code which loads the cache later (a
// session's) does not import the checks it ran when the session was made.
import CachePolicy from 'http-cache-semantics';
import { MemoryStore } from './memory-store.js';
import type { CacheOptions } from './options.js';
import type { CacheStore } from './store.js';
import type { CacheStoreError } from './store-error.js';

/** The options in effect: checked, defaults filled. */
export interface CacheConfig {
  readonly options: CacheOptions;
  readonly store: CacheStore;
  readonly shared: boolean;
  readonly maxBodySize: number;
  readonly heuristic: number;
  readonly now: () => number;
  readonly Policy: typeof CachePolicy;
  report(error: CacheStoreError): void;
  /** Keys being revalidated in the background (stale-while-revalidate): one at a time each. */
  readonly revalidating: Set<string>;
  /** What layers beneath add to a call's headers (a session tells it; see `addedBeneath`). */
  readonly beneath: AddedBeneath | undefined;
  /** The signal of a background revalidation (a session's: its close and its total timeout). */
  readonly background: (() => AbortSignal | undefined) | undefined;
}

/**
 * What the layers beneath a cache add to a call's headers, for a session's cache (not public):
 * `added`, headers whose values are known now (a session's default headers; the call's own
 * win over them), and `unknown`, names only those layers know the value of (`authorization`
 * from auth, `cookie` from the jar). The cache judges `Vary`, and a shared cache a request's
 * `Authorization`, with them: a response that varies on an unknown one is neither served nor
 * stored for a call that does not set that header itself.
 */
export type AddedBeneath = (
  input: string | URL | Request,
  init: RequestInit | undefined,
) => { added?: Headers | undefined; unknown?: readonly string[] | undefined };

/** Where a session puts its `AddedBeneath` on the cache options it passes. */
export const addedBeneath: unique symbol = Symbol.for(
  'fetchstack.cache.addedBeneath',
) as typeof addedBeneath;

/**
 * Where a session puts, on the cache options it passes, what makes the signal of a background
 * revalidation (stale-while-revalidate): one that aborts when the session closes, and when its
 * total timeout has passed. Without it a background revalidation has no signal.
 */
export const backgroundSignal: unique symbol = Symbol.for(
  'fetchstack.cache.backgroundSignal',
) as typeof backgroundSignal;

const defaultMaxBodySize = 10 * 1024 * 1024;

/** Fills the defaults (from `base`, for one call's override) around options `checkCacheOptions` returned. */
export function resolveOptions(o: CacheOptions, base?: CacheConfig): CacheConfig {
  const now = o.now ?? base?.now ?? Date.now;
  let warned = false;
  const onStoreError = o.onStoreError ?? base?.options.onStoreError;
  return {
    options: o,
    store: o.store ?? base?.store ?? new MemoryStore(),
    shared: o.shared ?? base?.shared ?? false,
    maxBodySize: o.maxBodySize ?? base?.maxBodySize ?? defaultMaxBodySize,
    heuristic: o.heuristic ?? base?.heuristic ?? 0.1,
    now,
    Policy: now === Date.now ? CachePolicy : clocked(now),
    report(error) {
      if (onStoreError) return onStoreError(error);
      if (warned) return;
      warned = true;
      console.warn(
        `${error.message} (Further store errors of this cache are not shown; pass onStoreError to see them.)`,
      );
    },
    revalidating: base?.revalidating ?? new Set(),
    beneath: (o as { [addedBeneath]?: AddedBeneath })[addedBeneath] ?? base?.beneath,
    background:
      (o as { [backgroundSignal]?: () => AbortSignal | undefined })[backgroundSignal] ??
      base?.background,
  };
}

/** The policy class on another clock (http-cache-semantics reads the time through `now()`). */
function clocked(now: () => number): typeof CachePolicy {
  return class ClockedPolicy extends CachePolicy {
    now(): number {
      return now();
    }
  };
}
