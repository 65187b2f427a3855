export { type RedirectOptions, redirect } from './redirect.js';
export { isRedirectError, RedirectError, type RedirectErrorCode } from './redirect-error.js';
