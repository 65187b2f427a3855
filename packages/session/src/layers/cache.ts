// The session's `cache` option: an HTTP cache outside retry. A fresh hit never reaches retry,
// auth, cookies or the network (so a stored response's Set-Cookie is not applied again, and
// no retry budget is spent); a revalidation goes through all of them like any call; and
// stale-if-error judges the outcome after retries.
//
// The options are checked when the session is made; the cache itself (the layer, its store and
// the HTTP caching rules it follows) is loaded on the first call that goes through it, so a
// session without a cache, or a page that never makes a call, does not carry it.
import type { CacheOptions } from '@fetchstack/cache';
import { checkCacheOptions } from '@fetchstack/cache/check';
import { describeValue } from '@fetchstack/core/internal';
import { storeOf } from '../store.js';
import type { AuthLayerOptions } from './auth.js';
import { type HeadersLayerOptions, makeHeaders, unset } from './headers.js';
import { asOption, type Layer, later, layer, onFirstCall } from './layer.js';
import { readTimeout, type TimeoutLayerOptions } from './timeout.js';

export interface CacheLayerOptions {
  /**
   * An HTTP cache (RFC 9111) for the session's responses: `true` (a private cache in memory),
   * cache options (`{ store, shared, maxBodySize, ... }` from `@fetchstack/cache`), or `false`.
   * Every stack of the session (mounts included) uses the session's store unless its options
   * name another; with the session's `store` option, that is `store.cache` (shared by the fleet).
   * @default false
   * @example createSession({ cache: { store: new MemoryStore({ maxBytes: 50e6 }) } })
   */
  cache?: boolean | CacheOptions | undefined;
}

let loading: Promise<typeof import('./cache-run.js')> | undefined;

export const cacheLayer: Layer<CacheLayerOptions, true, true> = layer({
  name: 'cache',
  options: ['cache'],
  // A mount's headers and auth change what the layers beneath the cache add (see `beneath`).
  reads: ['store', 'headers', 'auth', 'timeout'],
  mount: true,
  perCall: true,
  build(values: CacheLayerOptions, site) {
    const value = values.cache;
    // Without a cache: the per-call code refuses a call that asks for one (run.ts, `noCache`).
    if (value === undefined || value === false) return later((code) => code.noCache(site.where));
    if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new TypeError(
        `${site.where}: "cache" must be true, false or cache options ({ store, shared, ... }); got ${describeValue(value)}.`,
      );
    }
    // A mount that sets none of these reuses the session's cache. One that sets its own headers
    // or auth gets a cache of its own (on the same store) that judges Vary and a shared cache's
    // Authorization rule with what its layers beneath add, not with the session's.
    if (site.level === 'mount' && !['cache', 'headers', 'auth'].some((key) => site.own.has(key))) {
      return site.inherited;
    }
    const options: CacheOptions = value === true ? {} : { ...value };
    // The fleet's cache store, unless the cache options name their own.
    const shared = storeOf(values)?.cache;
    if (options.store === undefined && shared) options.store = shared;
    asOption(site.where, 'cache', () => checkCacheOptions(options, 'cache(options)'));
    // What the layers beneath add to each call (this stack's default headers, auth, cookies).
    const own = values as CacheLayerOptions & HeadersLayerOptions & AuthLayerOptions;
    const mountHeaders =
      site.level === 'mount' && site.own.has('headers') && own.headers !== undefined
        ? makeHeaders(own.headers, site.where)
        : undefined;
    const mountAuth = site.level === 'mount' && site.own.has('auth') ? own.auth : undefined;
    const total = readTimeout((values as TimeoutLayerOptions).timeout, site.where).limits?.total;
    const beneath = {
      headers: mountHeaders,
      removed: mountHeaders ? unset(own.headers) : [],
      total: total === false ? undefined : total,
      auth: () =>
        site.level === 'mount' && site.own.has('auth')
          ? mountAuth !== undefined && mountAuth !== null && mountAuth !== false
          : site.session.auth() !== undefined,
    };
    return onFirstCall(() => {
      loading ??= import('./cache-run.js');
      return loading.then((run) =>
        run.makeCache(options, site.session, beneath, checkCacheOptions),
      );
    });
  },
});
