// `@fetchstack/cache/engine`, for code that checked the options already (a session checks its
// `cache` option when it is made, and loads this on its first cached call): the layer over
// checked options and the default store, without the option checks (see `checkedCache`).
export { checkedCache } from './cache.js';
export { MemoryStore } from './memory-store.js';
