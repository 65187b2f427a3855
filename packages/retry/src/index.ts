export { RetryBudget, type RetryBudgetOptions } from './budget.js';
export type { RetryInfo, RetryOptions } from './options.js';
export type { RetryOverride } from './override.js';
export { isNetworkError, parseRetryAfter } from './policy.js';
export { retry } from './retry.js';
export { type GiveUpReason, isRetryError, RetryError } from './retry-error.js';
