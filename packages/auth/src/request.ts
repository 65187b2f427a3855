// What the per-call code of every auth layer uses (loaded with it, on a layer's first call).
import type { Fetch, Middleware } from '@fetchstack/core';
import {
  contextOf,
  defaultAuthorization,
  defaultReplayLimit,
  defaultsKey,
  describeCall,
  extendInit,
  hasHeader,
  headersOf,
  type Input,
  sameOrigin,
  urlOf,
  withoutFragment,
} from '@fetchstack/core/internal';
import type { AuthError, AuthErrorCode } from './auth-error.js';
import type { Allowed } from './scope.js';

/** One call, as the layers beneath will see it. */
export interface Call {
  input: Input;
  init: RequestInit | undefined;
  /**
   * Set when the body is a stream longer than the replay limit: it was sent once and a
   * 401 cannot be answered by sending it again (the 401 is returned as it is).
   */
  oneShot?: boolean;
}

/**
 * The largest stream body (`ReadableStream`, a `Request`'s body, an async iterable such as a
 * Node `Readable`) an auth layer keeps in memory so that it can send it again after a 401.
 * A longer one is sent once, streaming, and a 401 to it is returned as it is.
 */
export const authReplayLimit = defaultReplayLimit;

/**
 * The layer of a fixed `Authorization` value (`basicAuth`, a `bearerAuth` with a fixed token and
 * nothing to refresh): set on each call `scope` allows, nothing else. A plain function rather
 * than an async one (a promise per call less); a throw is the call's rejection.
 */
export function fixedAuthorization(scope: Scope, value: string): Middleware {
  return (next: Fetch): Fetch =>
    function authenticated(input, init) {
      try {
        if (!scope(input, init)) return next(input, init);
        const call = withAuthorization({ input, init }, value);
        return next(call.input, call.init);
      } catch (error) {
        return Promise.reject(error);
      }
    };
}

/** The call with `Authorization` set (a new init and `Headers`; the caller's objects are untouched). */
export function withAuthorization(call: Call, value: string): Call {
  const headers = headersOf(call.input, call.init);
  headers.set('authorization', value);
  return { input: call.input, init: extendInit(call.init, { headers }) };
}

/**
 * The URL a response answers, when the platform followed redirects itself (browsers,
 * or a call with the default `redirect: 'follow'` and no redirect layer): `undefined`
 * when it answers the URL we sent.
 */
export function redirectedTo(response: Response, sent: URL): URL | undefined {
  if (!response.redirected || !response.url) return undefined;
  try {
    const final = new URL(response.url);
    return final.href === withoutFragment(sent.href) ? undefined : final;
  } catch {
    return undefined;
  }
}

/**
 * Decides per call whether the layer adds its credentials: the call's URL when it does,
 * `undefined` when the call goes through untouched (it sets its own `Authorization`, or
 * its origin may not have them).
 */
export type Scope = (input: Input, init: RequestInit | undefined) => URL | undefined;

/**
 * The decision function for the origins the factory checked (built here, with the per-call
 * code, so that what a page loads up front only checks them).
 */
export function makeScope(allowed: Allowed): Scope {
  const listed = typeof allowed === 'function' || !allowed ? undefined : new Set(allowed);
  return function scope(input, init) {
    // A header the call sets wins: its call is left alone (one from default headers does not).
    if (
      hasHeader(input, init, 'authorization') &&
      contextOf(init)[defaultsKey] !== defaultAuthorization
    ) {
      return undefined;
    }
    const url = urlOf(input);
    const redirect = contextOf(init).redirect;
    // A hop the redirect layer made: only the origin the caller asked for gets credentials.
    if (redirect !== undefined && !sameOrigin(url, redirect.initial)) return undefined;
    // A copy, so a predicate that changes the URL cannot change the request.
    if (typeof allowed === 'function') return allowed(new URL(url.href)) === true ? url : undefined;
    return !listed || listed.has(url.origin) ? url : undefined;
  };
}

/**
 * The `AuthError` about `call` (`Class`: the class, handed by the factory). Its method and URL
 * (credentials removed) are described here, in the per-call code, so that the error class
 * itself, loaded up front, carries no URL redaction.
 */
export function authError(
  Class: typeof AuthError,
  code: AuthErrorCode,
  message: string,
  call: Call,
  response?: Response,
  cause?: unknown,
): AuthError {
  return new Class(message, {
    code,
    at: describeCall(call.input, call.init),
    response,
    ...(cause === undefined ? {} : { cause }),
  });
}
