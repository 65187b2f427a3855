// Only `export *` (type re-exports vanish from the build), and the retry engine (loaded by
// import() when a try fails) imports what it needs of the public modules through this file.
// Both matter with esbuild (0.28): a named re-export here would put the modules only the engine
// uses into a page's first load; and in a bundle without code splitting, esbuild wraps what a
// dynamic import() reaches in lazy initialisers, and a binding re-exported with `export *` is
// read before its initialiser runs unless this file is wrapped too, which the engine's import
// of it makes sure of (without it, `RetryError` was undefined in such bundles).
export * from './budget-api.js';
export * from './network.js';
export type { RetryInfo, RetryOptions } from './options.js';
export type { RetryOverride } from './override.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './retry-error.js';
