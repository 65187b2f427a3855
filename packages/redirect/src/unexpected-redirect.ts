// What a call with `redirect: 'error'` rejects with, apart from the error class: the browser
// build loads it only when a redirect is refused (it reads and redacts the call's URL).
import { describeCall } from '@fetchstack/core/internal';
import { RedirectError } from './redirect-error.js';

/**
 * What a call with `redirect: 'error'` rejects with when it meets a redirect: a `TypeError`,
 * as fetch rejects (clients tell fetch's failures by that), with the call's `method` and
 * `url` and, as its `cause`, a `RedirectError` whose `code` is `'UNEXPECTED_REDIRECT'`.
 * Retry never retries it.
 */
export function unexpectedRedirect(
  input: string | URL | Request,
  init: RequestInit | undefined,
  what: string,
  details: { location?: string | undefined } = {},
): TypeError {
  const call = describeCall(input, init);
  const message = `${call.method} ${call.url}: ${what} and the call asked for redirect: 'error'.`;
  const cause = new RedirectError(message, {
    code: 'UNEXPECTED_REDIRECT',
    ...call,
    hops: 0,
    location: details.location,
  });
  return Object.assign(new TypeError(message, { cause }), call);
}
