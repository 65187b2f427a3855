// The public names of budget.ts (which also holds the check of budget options, not public),
// so that the package index can stay all `export *` (see index.ts).
export { RetryBudget, type RetryBudgetOptions } from './budget.js';
