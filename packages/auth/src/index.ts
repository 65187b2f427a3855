/**
 * @fetchstack/auth: basic, bearer (with single-flight refresh) and digest auth
 * as fetch middleware, each scoped to the origins the credentials belong to.
 */
export { AuthError, type AuthErrorCode, isAuthError } from './auth-error.js';
export { type BasicAuthOptions, basicAuth } from './basic.js';
export {
  type BearerAuthOptions,
  bearerAuth,
  type SharedRefresh,
  type TokenSource,
} from './bearer.js';
export { type DigestAuthOptions, digestAuth } from './digest.js';
export type { Origins, ScopeOptions } from './scope.js';
