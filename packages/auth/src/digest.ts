import type { Fetch, Middleware } from '@fetchstack/core';
import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  discard,
  methodOf,
} from '@fetchstack/core/internal';
import { AuthError } from './auth-error.js';
import type { DigestLayer } from './digest-answer.js';
import { replayable } from './replayable.js';
import { hasLineBreak, redirectedTo, withAuthorization } from './request.js';
import { makeScope, type ScopeOptions } from './scope.js';

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
export function digestAuth(user: string, pass: string, opts: DigestAuthOptions = {}): Middleware {
  if (typeof user !== 'string' || user === '') {
    throw new TypeError(
      `digestAuth(user, pass): user must be a non-empty string; got ${typeof user === 'string' ? 'an empty string' : describeValue(user)}.`,
    );
  }
  if (typeof pass !== 'string') {
    throw new TypeError(
      `digestAuth(user, pass): pass must be a string (use '' for none); got ${describeValue(pass)}.`,
    );
  }
  if (hasLineBreak(user) || hasLineBreak(pass)) {
    throw new TypeError('digestAuth(user, pass): user and pass must not contain CR, LF or NUL.');
  }
  const where = 'digestAuth(user, pass, options)';
  assertOptionsObject(opts, where);
  assertKnownKeys(opts, ['origins'], where);
  const scope = makeScope(opts.origins, where);
  const layer: DigestLayer = {
    user,
    pass,
    cache: new Map(),
    AuthError,
    discard,
    methodOf,
    withAuthorization,
    redirectedTo,
  };

  return (next: Fetch): Fetch =>
    async function digestAuthenticated(input, init) {
      const url = scope(input, init);
      if (!url) return next(input, init);
      // Any request may meet a challenge (first contact, stale nonce), so the body must replay.
      const call = await replayable(input, init);
      const sent = layer.cache.get(url.origin);
      if (sent) return (await engine()).answerDigest(layer, next, call, url, sent, undefined);
      const response = await next(call.input, call.init);
      // No Digest challenge: nothing to answer, and nothing of digest to load.
      if (
        response.status !== 401 ||
        !/digest/i.test(response.headers.get('www-authenticate') ?? '')
      )
        return response;
      return (await engine()).answerDigest(layer, next, call, url, undefined, response);
    };
}

let loaded: Promise<typeof import('./digest-answer.js')> | undefined;
/** The challenge-answering part, loaded on the first challenge. */
function engine(): Promise<typeof import('./digest-answer.js')> {
  loaded ??= import('./digest-answer.js');
  return loaded;
}
