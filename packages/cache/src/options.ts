// The options of `cache()` (and of a session's `cache`). config.ts checks them.
import type { CacheStore } from './store.js';
import type { CacheStoreError } from './store-error.js';

export interface CacheOptions {
  /**
   * Where responses are kept. Each `cache()` without a store has its own `MemoryStore`.
   * @default new MemoryStore()
   * @example cache({ store: new MemoryStore({ maxBytes: 50e6 }) })
   */
  store?: CacheStore | undefined;
  /**
   * A shared cache (a proxy's, a server's serving many users) rather than a private one (one
   * user's, as a browser's): it honours `s-maxage` and `proxy-revalidate`, never stores
   * `private` responses, and stores responses to requests with `Authorization` only when the
   * response allows it (`public`, `s-maxage`, `must-revalidate`).
   * @default false
   */
  shared?: boolean | undefined;
  /**
   * The largest body stored, in bytes. A longer body still streams to the caller, unstored.
   * @default 10_485_760 (10 MiB)
   */
  maxBodySize?: number | undefined;
  /**
   * The share of the time since `Last-Modified` a response with no explicit freshness stays
   * fresh (RFC 9111 §4.2.2). `0` turns heuristic freshness off.
   * @default 0.1
   */
  heuristic?: number | undefined;
  /**
   * Receives each store failure (the call went on to the network). By default the first
   * failure of each cache is written with `console.warn`.
   * @example cache({ store, onStoreError: (e) => log.warn(e.message) })
   */
  onStoreError?: ((error: CacheStoreError) => void) | undefined;
  /**
   * The clock, in ms since the epoch, that ages stored responses. For tests: a clock you move
   * makes a response stale without waiting.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}
