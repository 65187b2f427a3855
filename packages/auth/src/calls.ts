// The per-call code of the auth layers: deciding whether a call gets the credentials, adding
// the header, bearer's 401 → refresh → replay, and digest's first contact (its challenge
// answering is loaded later still, on the first challenge). lazy.ts loads this module on a
// layer's first call; the factories (basic.ts, bearer.ts, digest.ts) only check options.
import type { Fetch, Middleware } from '@fetchstack/core';
import { discard, methodOf } from '@fetchstack/core/internal';
import type { AuthError as AuthErrorClass } from './auth-error.js';
import type { DigestLayer } from './digest-answer.js';
import { replayable } from './replayable.js';
import {
  authError,
  fixedAuthorization,
  makeScope,
  redirectedTo,
  withAuthorization,
} from './request.js';
import type { Allowed } from './scope.js';

export * from './bearer-calls.js';

/** `basicAuth`'s calls: `Authorization: Basic base64(utf8(user:pass))` on each call to an allowed origin. */
export function basicCalls(user: string, pass: string, allowed: Allowed): Middleware {
  const scope = makeScope(allowed);
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${pass}`))
    binary += String.fromCharCode(byte);
  // The platform's `btoa` (present in every runtime we support).
  const header = `Basic ${btoa(binary)}`;
  return fixedAuthorization(scope, header);
}

/** `digestAuth`'s calls: the challenge each origin sent is remembered by this layer. */
export function digestCalls(
  user: string,
  pass: string,
  allowed: Allowed,
  // Handed by the factory: see handed.ts.
  AuthError: typeof AuthErrorClass,
): Middleware {
  const scope = makeScope(allowed);
  const layer: DigestLayer = {
    user,
    pass,
    cache: new Map(),
    fail: (code, message, call, response) => authError(AuthError, code, message, call, response),
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
