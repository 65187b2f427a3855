// `cache()`: checks its options when it is called (check.ts), and makes the layer (cache.ts).
import type { Middleware } from '@fetchstack/core';
import { checkedCache } from './cache.js';
import { checkCacheOptions } from './check.js';
import type { CacheOptions } from './options.js';

/**
 * An HTTP cache (RFC 9111) as a fetch layer: fresh responses are answered from the store
 * without a request, stale ones are revalidated (`If-None-Match`, `If-Modified-Since`), and
 * every response carries a `Cache-Status` entry named `fetchstack`. The request's standard
 * `cache` mode is honoured (`'no-store'`, `'reload'`, `'no-cache'`, `'force-cache'`,
 * `'only-if-cached'`); `init.fetchstack.cache: false` leaves one call alone.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { cache } from '@fetchstack/cache';
 * const cached = wrap(fetch, cache());
 * const res = await cached('https://example.com/data.json');
 * res.headers.get('cache-status'); // 'fetchstack; fwd=miss; stored', then 'fetchstack; hit; ttl=59'
 */
export function cache(options?: CacheOptions): Middleware {
  return checkedCache(checkCacheOptions(options, 'cache(options)'), checkCacheOptions);
}
