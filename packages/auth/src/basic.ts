import type { Middleware } from '@fetchstack/core';
import { checkUserPass } from './check.js';
import { onFirstCall } from './lazy.js';
import type { ScopeOptions } from './scope.js';

/** Options of `basicAuth`. */
export interface BasicAuthOptions extends ScopeOptions {}

/**
 * HTTP Basic auth (RFC 7617): sends `Authorization: Basic base64(user:pass)` with
 * every request to an allowed origin, up front (no 401 round trip). User and
 * password are encoded as UTF-8, so non-ASCII passwords work.
 *
 * A call that sets its own `Authorization` header is left alone.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { basicAuth } from '@fetchstack/auth';
 * const api = wrap(fetch, basicAuth('user', 'pässwörd'));
 * await api('https://httpbin.org/basic-auth/user/p%C3%A4ssw%C3%B6rd');
 */
export function basicAuth(user: string, pass: string, opts?: BasicAuthOptions): Middleware {
  const allowed = checkUserPass('basicAuth', user, pass, opts);
  return onFirstCall((calls) => calls.basicCalls(user, pass, allowed));
}
