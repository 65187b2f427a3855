import type { Fetch, Middleware } from '@fetchstack/core';
import {
  abortOf,
  abortReason,
  credentialHeaders,
  describeCall,
  describeValue,
  discard,
  extendInit,
  Headers,
  headersOf,
  isPlainRecord,
  isRequest,
  isStream,
  methodOf,
  redactErrorText,
  redactUrl,
  requestBodyHeaders,
  requestHasBody,
  rewrap,
  runtime,
  sameOrigin,
  urlOf,
  withContext,
} from '@fetchstack/core/internal';
import { type RedirectOptions, redirectLimit } from './options.js';
import { RedirectError, type RedirectErrorCode } from './redirect-error.js';
import { unexpectedRedirect } from './unexpected-redirect.js';

export type { RedirectOptions } from './options.js';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** What each hop changes in its `init` (one object for every call: `extendInit` only reads it). */
const manual: RequestInit = { redirect: 'manual' };

/**
 * Follows redirects hop by hop on server runtimes (Node, Deno, Bun, workerd),
 * calling the layers beneath it once per hop with `redirect: 'manual'`, so a
 * cookie layer stores each hop's `Set-Cookie` and auth, cookies and proxy are
 * decided again for each hop's URL. In browsers it passes the call through
 * (the browser follows redirects, and a page cannot see a 3xx).
 *
 * - `redirect: 'follow'` (fetch's default) is followed; `'manual'` reaches the
 *   layers beneath untouched (the 3xx comes back); `'error'` rejects on a
 *   redirect with a `TypeError`, as fetch does, whose `cause` is a
 *   `RedirectError` (`code: 'UNEXPECTED_REDIRECT'`).
 * - `Authorization`, `Cookie` and `Proxy-Authorization` the caller set are
 *   removed once a hop leaves the origin (scheme, host or port) of the hop
 *   before, and are not put back on a later hop back.
 * - 301/302 after POST and every 303 (except after GET/HEAD) become GET,
 *   without body and without `Content-*` headers; 307/308 keep method and body.
 * - The final `Response` reports `redirected: true` and its `url`, as fetch does.
 * - Hops after the first carry `contextOf(init).redirect = { initial, previous, hop }`.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { redirect } from '@fetchstack/redirect';
 * const f = wrap(fetch, redirect({ limit: 5 }));
 * const res = await f('https://httpbin.org/redirect/3'); // res.redirected === true
 */
export function redirect(options: RedirectOptions = {}): Middleware {
  const limit = redirectLimit(options);
  return (next: Fetch): Fetch => {
    // Browsers follow redirects themselves and hide the 3xx from the page: nothing
    // to do (the `browser` export condition ships only that; this covers bundlers
    // that ignore the condition).
    if (runtime === 'browser') return next;
    return function followRedirects(input, init) {
      const mode = init?.redirect ?? (isRequest(input) ? input.redirect : 'follow');
      if (mode === 'follow') {
        // A Request may carry a body to keep for a 307/308: the whole path, from the start.
        if (isRequest(input)) return follow(next, input, init, limit);
        // Most calls are not redirected: one `then`, and the hop-by-hop code only on a 3xx.
        let first: Promise<Response>;
        try {
          first = Promise.resolve(next(input, extendInit(init, manual)));
        } catch (error) {
          return Promise.reject(error);
        }
        return first.then((response) =>
          redirectStatuses.has(response.status) && response.headers.has('location')
            ? follow(next, input, init, limit, response)
            : response,
        );
      }
      if (mode === 'error') return refuse(next, input, init);
      if (mode === 'manual') return next(input, init);
      return Promise.reject(
        new TypeError(
          `fetch(input, init): init.redirect must be 'follow', 'manual' or 'error', as fetch requires; got ${describeValue(mode)}.`,
        ),
      );
    };
  };
}

/**
 * `redirect: 'error'`, done here so it means the same everywhere (workerd
 * refuses the mode outright): the call goes down as `'manual'`, and a redirect
 * rejects with a `TypeError`, as fetch does, whose `cause` is a `RedirectError`
 * with `code: 'UNEXPECTED_REDIRECT'`.
 */
async function refuse(
  next: Fetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const response = await next(input, extendInit(init, manual));
  const location = response.headers.get('location');
  if (!redirectStatuses.has(response.status) || location === null) return response;
  discard(response);
  throw unexpectedRedirect(input, init, `the server answered ${response.status} (a redirect)`, {
    location: redactUrl(location),
  });
}

type CarriedHeaders = Headers | Record<string, string | undefined>;

/** Follows the redirects of a call, from its first response (`first`) if it was already made. */
async function follow(
  next: Fetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
  limit: number,
  first?: Response,
): Promise<Response> {
  const request = isRequest(input) ? input : undefined;
  // Read without making an AbortSignal (a total timeout above may have armed the call without one).
  const abort = abortOf(input, init);
  let method = methodOf(input, init);
  let body: BodyInit | null | undefined = init?.body;
  // A Request's body can be read once: keep a copy (a tee) for a 307/308, and
  // drop it as soon as the first response shows no such redirect.
  let spare: Request | undefined;
  let headers: CarriedHeaders | undefined;
  if (body === undefined && request && !request.bodyUsed && requestHasBody(request)) {
    spare = request.clone();
    // Now, before the Request is sent: Bun forgets the Content-Type its body gave it (a
    // Blob's type, FormData's boundary) once that body is read, if `headers` was not read before.
    headers = carriedHeaders(input, init);
  }

  // Parsed at the first redirect (most calls have none).
  let initial: URL | undefined;
  // A hop went to another origin than the call's: Node's fetch then says `type: 'cors'`.
  let crossed = false;
  let current: URL | undefined;
  let hops = 0;
  try {
    let response = first ?? (await next(input, extendInit(init, manual)));
    for (;;) {
      if (!redirectStatuses.has(response.status)) break;
      const location = response.headers.get('location');
      if (location === null) break; // fetch returns such a response as it is

      const fail = (code: RedirectErrorCode, why: string, cause?: unknown) => {
        discard(response);
        const call = describeCall(input, init);
        return new RedirectError(`${call.method} ${call.url}: ${why}`, {
          code,
          ...call,
          hops,
          location: redactUrl(location),
          cause,
        });
      };

      initial ??= urlOf(input);
      current ??= initial;
      let target: URL;
      try {
        target = new URL(asSent(location), current);
      } catch (error) {
        // The URL parser's error repeats the Location and the URL it was read against (Node's
        // `input` and `base`): their credentials and secret parameters hidden there too.
        redactErrorText(error, current);
        redactErrorText(error, asSent(location));
        throw fail(
          'BAD_LOCATION',
          `the Location header "${redactUrl(location)}" is not a URL.`,
          error,
        );
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw fail(
          'BAD_LOCATION',
          `a redirect to ${target.protocol} is not followed (only http: and https:).`,
        );
      }
      // A Location that names a user or password is refused (fetch refuses such a URL on Node,
      // and its message would repeat the password). A relative one keeps the credentials of
      // the URL the caller asked for, as fetch does where it allows them (Deno, Bun).
      if ((target.username || target.password) && namesCredentials(location)) {
        throw fail(
          'BAD_LOCATION',
          'a redirect to a URL with a user name or password in it is not followed.',
        );
      }
      if (hops >= limit) {
        throw fail(
          'TOO_MANY_REDIRECTS',
          `more than ${limit} redirects (pass redirect: 'manual' to see the 3xx; with the redirect() layer of your own, redirect({ limit }) raises the limit).`,
        );
      }
      hops += 1;
      // fetch: a Location without a fragment inherits the current URL's.
      if (!location.includes('#') && current.hash) target.hash = current.hash;

      headers ??= carriedHeaders(input, init);
      const status = response.status;
      if (
        (status === 303 && method !== 'GET' && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        discard(spare);
        spare = undefined;
        for (const name of requestBodyHeaders) deleteHeader(headers, name);
      } else if (status === 307 || status === 308) {
        if (spare) {
          // Hops after this one replay the bytes (none: the Request had no body after all).
          body = spare.body === null ? undefined : await spare.arrayBuffer();
          spare = undefined;
        } else if (isStream(body) || isAsyncIterable(body)) {
          throw fail(
            'BODY_NOT_REPLAYABLE',
            `a ${status} asks to send the body again, but it was a stream and is gone. Send a string, Blob, ArrayBuffer or FormData instead, or pass redirect: 'manual'.`,
          );
        }
      }
      discard(response);

      if (!sameOrigin(current, target)) {
        for (const name of credentialHeaders) deleteHeader(headers, name);
      }
      if (abort?.aborted) throw abortReason(abort);

      const hopInit: RequestInit = {
        ...init,
        method,
        headers: headers as HeadersInit,
        redirect: 'manual',
      };
      if (body === undefined || body === null) delete hopInit.body;
      else hopInit.body = body;
      // The hop's input is a URL: a Request's signal goes with the init (a call's own is in `...init`).
      if (init?.signal === undefined && request) hopInit.signal = request.signal;
      if (request && init?.credentials === undefined) hopInit.credentials = request.credentials;
      // workerd: a Request's Cloudflare options (`cf`) go with every hop, as workerd's own
      // redirects keep them (an init's `cf` is in `...init`).
      const cf = (request as { cf?: unknown } | undefined)?.cf;
      if (cf !== undefined && (init as { cf?: unknown } | undefined)?.cf === undefined) {
        (hopInit as { cf?: unknown }).cf = cf;
      }
      const previous = current;
      current = target;
      if (!sameOrigin(target, initial)) crossed = true;
      response = await next(
        target.href,
        withContext(hopInit, { redirect: { initial, previous, hop: hops } }),
      );
    }
    return hops > 0
      ? rewrap(response, undefined, {
          url: current!.href,
          redirected: true,
          ...(crossed && runtime === 'node' && response.type === 'basic' ? { type: 'cors' } : {}),
        })
      : response;
  } finally {
    discard(spare);
  }
}

/** The caller's headers, in a form the hops may change (a plain object stays one, keeping `undefined` entries). */
function carriedHeaders(
  input: string | URL | Request,
  init: RequestInit | undefined,
): CarriedHeaders {
  const own = init?.headers;
  if (own !== undefined && isPlainRecord(own))
    return { ...own } as Record<string, string | undefined>;
  return headersOf(input, init);
}

function deleteHeader(headers: CarriedHeaders, name: string): void {
  if (headers instanceof Headers) {
    headers.delete(name);
    return;
  }
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/** A body fetch reads as a stream (Node's fetch takes async iterables too), except a Blob. */
function isAsyncIterable(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    Symbol.asyncIterator in body &&
    !(typeof Blob !== 'undefined' && body instanceof Blob)
  );
}

/**
 * A Location as the server wrote it: fetch gives each header byte as one character (latin1),
 * but a server that writes a non-ASCII URL writes it in UTF-8, and fetch (Node, Bun) and
 * browsers read it so. A value that is not UTF-8, or that the runtime already decoded
 * (workerd), stays as it is.
 */
function asSent(location: string): string {
  if (!/[\x80-\xff]/.test(location) || /[\u0100-\uffff]/.test(location)) return location;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(location, (c) => c.charCodeAt(0)),
    );
  } catch {
    return location;
  }
}

/** Whether a Location names a user or password itself (not inherited from the URL it is relative to). */
function namesCredentials(location: string): boolean {
  const own = new URL(location, 'http://relative.invalid/');
  return own.username !== '' || own.password !== '';
}
