export { checkLimitOptions } from './check.js';
export { limit } from './limit.js';
export { Limiter } from './limiter.js';
export type { LimitCaps, LimitOptions, LimitStore, RateOptions } from './options.js';
