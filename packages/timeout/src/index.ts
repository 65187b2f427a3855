// Only `export *` (type re-exports vanish from the build), and the per-call code (run.ts,
// loaded by import() on a layer's first call) imports `TimeoutError` through this file. Both
// matter with esbuild (0.28): a named re-export here would put the error class, which only the
// per-call code uses, into a page's first load of a session; and in a bundle without code
// splitting, esbuild wraps what a dynamic import() reaches in lazy initialisers, and a binding
// re-exported with `export *` is read before its initialiser runs unless this file is wrapped
// too, which the per-call code's import of it makes sure of.
export * from './timeout.js';
export * from './timeout-error.js';
