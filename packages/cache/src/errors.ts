// `@fetchstack/cache/errors`: the error a failing store is reported with, without the cache itself,
// for code that recognises that error but may never cache (a session imports it when it is loaded;
// the cache loads on its first cached call).
export { CacheStoreError, isCacheStoreError, type StoreOperation } from './store-error.js';
