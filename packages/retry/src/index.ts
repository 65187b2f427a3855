// Only `export *` (type re-exports vanish from the build), and the per-call code (engine.ts,
// loaded by import() for a layer's first call) imports what it needs of the public modules
// through this file. Both matter with esbuild (0.28): a named re-export here would put the
// modules only the per-call code uses into a page's first load; and in a bundle without code
// splitting, esbuild wraps what a dynamic import() reaches in lazy initialisers, and a binding
// re-exported with `export *` is read before its initialiser runs unless this file is wrapped
// too, which the per-call code's import of it makes sure of (without it, `RetryError` was undefined in such bundles).
export * from './budget-api.js';
export * from './network.js';
export type { RetryInfo, RetryOptions } from './options.js';
export type { RetryOverride } from './override.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './retry-error.js';
