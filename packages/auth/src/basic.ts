import type { Middleware } from '@fetchstack/core';
import { assertKnownKeys, assertOptionsObject, describeValue } from '@fetchstack/core/internal';
import { onFirstCall } from './lazy.js';
import { allowedOrigins, hasLineBreak, type ScopeOptions } from './scope.js';

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
export function basicAuth(user: string, pass: string, opts: BasicAuthOptions = {}): Middleware {
  if (typeof user !== 'string') {
    throw new TypeError(
      `basicAuth(user, pass): user must be a string; got ${describeValue(user)}.`,
    );
  }
  if (user.includes(':')) {
    throw new TypeError(
      'basicAuth(user, pass): user must not contain ":" (RFC 7617 splits user and password at the first colon).',
    );
  }
  if (typeof pass !== 'string') {
    // Never describe a string here: it could be a credential.
    throw new TypeError(
      `basicAuth(user, pass): pass must be a string (use '' for none); got ${describeValue(pass)}.`,
    );
  }
  if (hasLineBreak(user) || hasLineBreak(pass)) {
    throw new TypeError('basicAuth(user, pass): user and pass must not contain CR, LF or NUL.');
  }
  assertOptionsObject(opts, 'basicAuth(user, pass, options)');
  assertKnownKeys(opts, ['origins'], 'basicAuth(user, pass, options)');
  const allowed = allowedOrigins(opts.origins, 'basicAuth(user, pass, options)');
  const header = `Basic ${base64(new TextEncoder().encode(`${user}:${pass}`))}`;
  return onFirstCall((calls) => calls.basicCalls(header, allowed));
}

/** Base64 of bytes, with the platform's `btoa` (present in every runtime we support). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
