// Only `export *` (and type re-exports, which vanish from the build): with a named re-export
// anywhere in this file, esbuild would put every module re-exported here into a page's
// up-front chunk, also those only the retry engine (loaded when a try fails) reads: the
// network-error test, the error class and the Retry-After parser.
export * from './budget-api.js';
export * from './network.js';
export type { RetryInfo, RetryOptions } from './options.js';
export type { RetryOverride } from './override.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './retry-error.js';
