export type { FleetBudgetOptions, RedisRetryBudget } from './budget.js';
export type { SharedCookieStore } from './cookies.js';
export type { RedisCooldownEntry, RedisCooldowns } from './cooldown.js';
export type { RedisClientLike, RedisStoreOptions } from './options.js';
export { createRedisStore, RedisStore } from './store.js';
export type { SharedToken } from './tokens.js';
