export { type CacheOverride, cache } from './cache.js';
export { type CacheStatus, cacheName } from './http.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { Mode as CacheMode } from './modes.js';
export type { CacheOptions } from './options.js';
export {
  type CachedResponse,
  type CacheRecord,
  type CacheSetOptions,
  type CacheStore,
  decodeRecord,
  encodeRecord,
  isStore,
} from './store.js';
export { CacheStoreError, isCacheStoreError, type StoreOperation } from './store-error.js';
