// The browser build: the browser follows redirects itself and a page never
// sees the 3xx, so the layer only validates its options and passes calls through,
// except `redirect: 'error'`: the browser's own refusal is a TypeError a retry
// cannot tell from a network failure, so the call goes down as 'manual' and the
// opaque redirect that comes back is refused here, with a TypeError whose cause
// says why (which retry never retries).
import type { Middleware } from '@fetchstack/core';
import { extendInit } from '@fetchstack/core/internal';
import { type RedirectOptions, redirectLimit } from './options.js';

export type { RedirectOptions } from './options.js';
export { isRedirectError, RedirectError, type RedirectErrorCode } from './redirect-error.js';

/** See the server build (`redirect.ts`): in browsers this passes every call through. */
export function redirect(options: RedirectOptions = {}): Middleware {
  redirectLimit(options);
  return (next) =>
    async function refuseRedirects(input, init) {
      // A Request carries its own mode; a string or a URL has no `redirect` (read without
      // isRequest(), which only the refusal below needs, so it loads with it).
      const mode = init?.redirect ?? (input as { redirect?: RequestRedirect }).redirect ?? 'follow';
      if (mode !== 'error') return next(input, init);
      const response = await next(input, extendInit(init, { redirect: 'manual' }));
      if (response.type !== 'opaqueredirect') return response;
      // Loaded only now: the error path reads and redacts the URL, which no other call needs.
      const { unexpectedRedirect } = await import('./unexpected-redirect.js');
      throw unexpectedRedirect(input, init, 'the server answered with a redirect');
    };
}
