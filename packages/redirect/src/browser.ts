// The browser build: the browser follows redirects itself and a page never
// sees the 3xx, so the layer only validates its options and passes calls through.
import type { Middleware } from '@fetchstack/core';
import { type RedirectOptions, redirectLimit } from './options.js';

export type { RedirectOptions } from './options.js';
export { isRedirectError, RedirectError, type RedirectErrorCode } from './redirect-error.js';

/** See the server build (`redirect.ts`): in browsers this passes every call through. */
export function redirect(options: RedirectOptions = {}): Middleware {
  redirectLimit(options);
  return (next) => next;
}
