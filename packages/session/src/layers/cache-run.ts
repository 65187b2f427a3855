// The cache layer's code that runs on its first call (cache.ts loads this module then, so a
// session without `cache` never loads it, nor the cache package's engine).
import type { CacheOptions, CacheStore } from '@fetchstack/cache';
import type { checkCacheOptions } from '@fetchstack/cache/check';
import { checkedCache, MemoryStore } from '@fetchstack/cache/engine';
import type { Middleware } from '@fetchstack/core';
import { omitsCredentials } from '../omits-credentials.js';
import type { SessionState } from './layer.js';

// One store per session (for `cache: true` and options without a store), shared by its mounts.
const stores = new WeakMap<SessionState, CacheStore>();

/** Where the cache reads what the layers beneath it add to a call (see @fetchstack/cache's config). */
const addedBeneath = Symbol.for('fetchstack.cache.addedBeneath');
/** Where it reads the signal of a background revalidation. */
const backgroundSignal = Symbol.for('fetchstack.cache.backgroundSignal');

/** What the layers beneath a stack's cache add: a mount's own headers, and whether auth is on. */
export interface Beneath {
  headers: Headers | undefined;
  /** The session's default headers a mount removes for its URLs. */
  removed: readonly string[];
  auth(): boolean;
  /** The stack's total timeout (ms), which a background revalidation keeps too. */
  total: number | undefined;
}

/**
 * Makes the cache of one stack from its checked options (a copy, completed here). `check` is
 * the check of a call's own cache options, handed in by cache.ts (see @fetchstack/cache's
 * `checkedCache`).
 */
export function makeCache(
  options: CacheOptions,
  session: SessionState,
  beneath: Beneath,
  check: typeof checkCacheOptions,
): Middleware {
  // The default headers of this stack: the session's, with a mount's merged over them.
  const defaults = () => {
    let added = session.headers;
    if (beneath.headers) {
      added = new Headers(added);
      for (const name of beneath.removed) added.delete(name);
      for (const [name, value] of beneath.headers) added.set(name, value);
    }
    return added;
  };
  // The cache judges Vary (and a shared cache the request's Authorization) with what the
  // headers, auth and cookie layers beneath it will add, not only what the call set.
  (options as Record<symbol, unknown>)[addedBeneath] = () => {
    const added = defaults();
    const unknown: string[] = [];
    if (beneath.auth()) unknown.push('authorization');
    if (session.jar) unknown.push('cookie');
    return { added, unknown };
  };
  // A background revalidation (stale-while-revalidate) ends with the session, and within the
  // total timeout, as the call that started it would have.
  const closing = new AbortController();
  session.closers.add(() =>
    closing.abort(new DOMException('The session was closed.', 'AbortError')),
  );
  (options as Record<symbol, unknown>)[backgroundSignal] = () =>
    beneath.total !== undefined && typeof AbortSignal.any === 'function'
      ? AbortSignal.any([closing.signal, AbortSignal.timeout(beneath.total)])
      : closing.signal;
  if (options.store === undefined) {
    let store = stores.get(session);
    if (!store) {
      store = new MemoryStore();
      stores.set(session, store);
    }
    options.store = store;
  }
  // Store failures go to the session's hooks (`logger()` writes them) unless the cache
  // options have their own `onStoreError`.
  if (options.onStoreError === undefined) options.onStoreError = session.storeError;
  // Whether the layers beneath add credentials to a call that does not omit them.
  const credentials = () => {
    const added = defaults();
    return (
      beneath.auth() ||
      session.jar !== undefined ||
      added.has('authorization') ||
      added.has('cookie')
    );
  };
  // A cache per stack it is composed into, all on the same store. A call made with
  // `credentials: 'omit'` goes without the session's auth, cookies and credential headers: a
  // response stored for a call that had them must not answer it (it may be another user's
  // view), nor its anonymous answer later calls that have them. Such a call leaves the cache out.
  return (next) => {
    const cached = checkedCache(options, check)(next);
    return (input, init) =>
      omitsCredentials(input, init) && credentials() ? next(input, init) : cached(input, init);
  };
}
