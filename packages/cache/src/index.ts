export type { CacheOverride } from './cache.js';
export { CacheApiStore, type CacheApiStoreOptions } from './cache-api-store.js';
export { cache } from './factory.js';
export type { CacheStatus } from './http.js';
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
  packRecord,
  unpackRecord,
} from './store.js';
export { CacheStoreError, isCacheStoreError, type StoreOperation } from './store-error.js';
