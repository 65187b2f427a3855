export type { RedisClientLike, RedisStoreOptions } from './options.js';
export { createRedisStore, RedisStore } from './store.js';
