export { checkLimitOptions } from './check.js';
export { limit } from './limit.js';
export { Limiter } from './limiter.js';
export type { LimitOptions, RateOptions } from './options.js';
