export { retry } from './retry.js';
export type { RetryInfo, RetryOptions } from './options.js';
export { RetryBudget, type RetryBudgetOptions } from './budget.js';
export { isRetryError, RetryError, type GiveUpReason } from './retry-error.js';
export { isNetworkError, parseRetryAfter } from './policy.js';
