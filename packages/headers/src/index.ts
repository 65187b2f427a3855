import type { Fetch, Middleware } from '@fetchstack/core';
import {
  type CallContext,
  contextKey,
  contextOf,
  credentialHeaders,
  defaultAuthorization,
  defaultsKey,
  definedHeaders,
  describeValue,
  extendInit,
  Headers,
  hasHeader,
  hasOwnType,
  isPlainRecord,
  isRequest,
  LiveHeaders,
  sameOrigin,
  trip,
} from '@fetchstack/core/internal';

/**
 * Where default headers come from:
 * - a `Headers` object: kept by reference and read at every request, so later
 *   `set`/`delete` calls apply to the next request (the session's live `headers`);
 * - a plain object or `[name, value][]`: copied (and validated) once, now (a plain object's
 *   `undefined` entries are left out);
 * - a function returning either: called at every request.
 */
export type HeaderDefaults =
  | HeadersInit
  | Record<string, string | undefined>
  | (() => HeadersInit | Record<string, string | undefined>);

/**
 * Adds default headers to every request. A header the request sets itself wins.
 *
 * To drop a default for one request, set it to `undefined` in a plain-object
 * `init.headers` (as ky does): `fetch(url, { headers: { 'User-Agent': undefined } })`.
 * A `Headers` object cannot hold `undefined`, so that form only works with plain objects.
 *
 * Default `Authorization`, `Cookie` and `Proxy-Authorization` headers are left
 * out on a redirect hop (see @fetchstack/redirect) to an origin other than the
 * one the caller asked for; default `Authorization` and `Cookie` headers are left
 * out of a call with `credentials: 'omit'`.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { headers } from '@fetchstack/headers';
 * const api = wrap(fetch, headers({ 'User-Agent': 'my-app/1.0', Accept: 'application/json' }));
 * await api('https://example.com/', { headers: { Accept: 'text/html' } }); // Accept: text/html
 */
export function headers(defaults: HeaderDefaults): Middleware {
  const read = defaultsReader(defaults);
  return (next: Fetch): Fetch => {
    // What the defaults hold, kept while they do not change (a `LiveHeaders` counts its
    // changes); read again at every call from any other `Headers`.
    let seen: number | undefined;
    let empty = false;
    let authorization = false;
    let cookie = false;
    return function withDefaultHeaders(input, init) {
      let defaults = read();
      const changes = LiveHeaders.changesOf(defaults);
      if (changes === undefined || changes !== seen) {
        empty = defaults.keys().next().done === true;
        authorization = !empty && defaults.has('authorization');
        cookie = !empty && defaults.has('cookie');
        seen = changes;
      }
      // No defaults (and no `undefined` entry asking to remove one): nothing to merge or to
      // strip, so the call goes on as it came, its headers as the caller spelled them.
      if (empty && !removesSome(init?.headers)) return next(input, init);
      // Beneath a redirect layer this runs once per hop: a hop to another origin
      // than the one the caller asked for gets no default credentials (as requests
      // strips Authorization when a redirect changes host).
      let keepsAuthorization = authorization;
      const hop = contextOf(init).redirect;
      if (
        hop &&
        credentialHeaders.some((name) => defaults.has(name)) &&
        // A hop's URL is absolute (the redirect layer made it): parsed here without `urlOf`,
        // which would bring the page's base URL into this layer's browser bundle for nothing.
        !sameOrigin(new URL(isRequest(input) ? input.url : input), hop.initial)
      ) {
        defaults = new Headers(defaults);
        for (const name of credentialHeaders) defaults.delete(name);
        keepsAuthorization = false;
      } else if (
        (authorization || cookie) &&
        (init?.credentials ?? (isRequest(input) ? input.credentials : undefined)) === 'omit'
      ) {
        // A call that sends no credentials gets no default Authorization or Cookie (its own
        // headers are its own; Proxy-Authorization is the proxy's, not the origin's).
        defaults = new Headers(defaults);
        defaults.delete('authorization');
        defaults.delete('cookie');
        keepsAuthorization = false;
      }
      const merged = mergeHeaders(defaults, input, init);
      // A default Authorization is not one the call set: an auth layer beneath may replace it.
      const defaultAuth = keepsAuthorization && !hasHeader(input, init, 'authorization');
      // A session's copy of the call for this one try (`trip`) takes the headers itself; any
      // other `init` is copied (extendInit, not a spread: on Node 20 `{ ...init }` followed by
      // more properties takes a slow path, ~1 µs).
      const out = init && init === trip.init ? init : extendInit(init, undefined);
      out.headers = merged;
      if (out === init) trip.headers = merged;
      if (defaultAuth) {
        (out as { [contextKey]?: CallContext })[contextKey] = extendInit(contextOf(init), {
          [defaultsKey]: defaultAuthorization,
        });
      }
      return next(input, out);
    };
  };
}

/** Whether a plain-object `headers` has an `undefined` entry (which removes a default). */
function removesSome(headers: HeadersInit | undefined): boolean {
  if (headers === undefined || !isPlainRecord(headers)) return false;
  for (const key in headers)
    if ((headers as Record<string, unknown>)[key] === undefined) return true;
  return false;
}

function defaultsReader(defaults: HeaderDefaults): () => Headers {
  if (typeof defaults === 'function') {
    // A plain object's `undefined` entries are left out here too (a plain `Headers` is made,
    // not a `LiveHeaders`, so that each call's defaults are read afresh).
    return () => {
      const made = defaults();
      return new Headers(isPlainRecord(made) ? definedHeaders(made) : made);
    };
  }
  if (defaults instanceof Headers) {
    return () => defaults;
  }
  if (defaults === null || typeof defaults !== 'object') {
    throw new TypeError(
      `headers(defaults): defaults must be a Headers object, a plain object, an array of [name, value] pairs or a function returning one; got ${describeValue(defaults)}.`,
    );
  }
  let fixed: Headers;
  try {
    // A plain object's `undefined` entries are left out (as ky does), not sent as "undefined".
    fixed = definedHeaders(defaults);
  } catch (error) {
    throw new TypeError(
      `headers(defaults): names must be tokens, values Latin-1 text without CR, LF or NUL: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return () => fixed;
}

/**
 * The headers to send: the defaults, overridden name by name by what the call
 * set, minus the names a plain-object `init.headers` set to `undefined`.
 * Neither the defaults nor the caller's objects are mutated.
 */
export function mergeHeaders(
  defaults: Headers,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Headers {
  const merged = new Headers(defaults);
  // A body that brings its own type (FormData and its boundary, URLSearchParams, a typed Blob)
  // keeps it over a default Content-Type, as fetch gives it; a Content-Type the call sets wins.
  if (init?.body != null && hasOwnType(init.body)) merged.delete('content-type');
  let own = init?.headers ?? (isRequest(input) ? input.headers : undefined);
  if (own === undefined) return merged;
  if (isPlainRecord(own)) {
    const entries: [string, string][] = [];
    for (const [name, value] of Object.entries(own as Record<string, string | undefined>)) {
      if (value === undefined) merged.delete(name);
      else entries.push([name, value]);
    }
    own = entries;
  }
  // Iterating a Headers joins repeated names into one value, so `set` keeps them all.
  for (const [name, value] of new Headers(own)) merged.set(name, value);
  return merged;
}
