// The public names of budget.ts (which also holds helpers that are not public), so that the
// package index can stay all `export *` (see index.ts).
export { RetryBudget, type RetryBudgetLike, type RetryBudgetOptions } from './budget.js';
