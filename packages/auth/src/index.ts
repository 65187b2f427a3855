/**
 * @fetchstack/auth: basic, bearer (with single-flight refresh) and digest auth
 * as fetch middleware, each scoped to the origins the credentials belong to.
 */
// Only `export *` (type re-exports vanish from the build), and the per-call code (calls.ts,
// loaded by import() on a layer's first call) imports `AuthError` through this file. Both
// matter with esbuild: a named re-export here would put modules only the per-call code uses
// into a page's first load; and in a bundle without code splitting, esbuild wraps what a
// dynamic import() reaches in lazy initialisers, and a binding re-exported with `export *` is
// read before its initialiser runs unless this file is wrapped too, which that import of it
// makes sure of.
export * from './auth-error.js';
export * from './basic.js';
export * from './bearer.js';
export * from './digest.js';
export type { Origins, ScopeOptions } from './scope.js';
