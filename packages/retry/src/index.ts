// Named re-exports, not `export *`: the error class, the network-error test and the
// Retry-After parser are also reached by the engine's dynamic import(), and in a bundle without
// code splitting esbuild (0.28) wraps such modules in lazy initialisers; a binding re-exported
// with `export *` from a module that is not wrapped is then read before its initialiser runs
// (`RetryError` was undefined in such bundles).
export { RetryBudget, type RetryBudgetOptions } from './budget.js';
export { isNetworkError } from './network.js';
export type { RetryInfo, RetryOptions } from './options.js';
export type { RetryOverride } from './override.js';
export { retry } from './retry.js';
export { parseRetryAfter } from './retry-after.js';
export { type GiveUpReason, isRetryError, RetryError } from './retry-error.js';
