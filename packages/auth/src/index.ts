/**
 * @fetchstack/auth: basic, bearer (with single-flight refresh) and digest auth
 * as fetch middleware, each scoped to the origins the credentials belong to.
 */
// Only `export *` (type re-exports vanish from the build): a named re-export here would put
// modules only the per-call code uses into a page's first load. The per-call code (calls.ts,
// loaded by import() on a layer's first call) imports nothing this file exports: what it needs
// of them (`AuthError`, the token check) its factory hands it (handed.ts), so that bundlers
// keep what a page loads up front in one file.
export * from './auth-error.js';
export * from './basic.js';
export * from './bearer.js';
export * from './digest.js';
export type { Origins, ScopeOptions } from './scope.js';
