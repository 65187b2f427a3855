import type { Middleware } from '@fetchstack/core';
import { AuthError } from './auth-error.js';
import { checkUserPass } from './check.js';
import { onFirstCall } from './lazy.js';
import type { ScopeOptions } from './scope.js';

/** Options of `digestAuth`. */
export interface DigestAuthOptions extends ScopeOptions {}

/**
 * HTTP Digest auth (RFC 7616): MD5, MD5-sess, SHA-256 and SHA-256-sess with
 * `qop=auth` (and servers without qop, RFC 2069). The first request to an origin
 * goes without credentials; the `401` challenge is answered by one replay of the
 * same request, and remembered for that origin, so later requests answer at once
 * with an increasing nonce count. A `401` with `stale=true` (or a new nonce) is
 * answered by one more replay.
 *
 * The server's challenge naming an algorithm not listed above (SHA-512-256, say)
 * or offering only `qop=auth-int` rejects with an `AuthError` (`code` says which).
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { digestAuth } from '@fetchstack/auth';
 * const api = wrap(fetch, digestAuth('user', 'passwd'));
 * await api('https://httpbin.org/digest-auth/auth/user/passwd/SHA-256');
 */
export function digestAuth(user: string, pass: string, opts?: DigestAuthOptions): Middleware {
  const allowed = checkUserPass('digestAuth', user, pass, opts);
  return onFirstCall((calls) => calls.digestCalls(user, pass, allowed, AuthError));
}
