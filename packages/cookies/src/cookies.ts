import type { Fetch, Middleware } from '@fetchstack/core';
import {
  type Credentials,
  extendInit,
  headersOf,
  isPlainRecord,
  trip,
  urlOf,
} from '@fetchstack/core/internal';
import { redirect } from '@fetchstack/redirect';
import { MemoryCookieStore, type CookieJar as ToughCookieJar } from 'tough-cookie';
import { CookieJar } from './jar.js';
import { type CookiesOptions, credentialsOf, readOptions } from './options.js';

/**
 * A cookie jar for fetch: every `Set-Cookie` of every response (each redirect
 * hop included) is stored, and each request carries the cookies that match its
 * URL by RFC 6265 (tough-cookie decides: domain, host-only, path, `Secure`,
 * expiry, public suffixes). A `Cookie` header the call sets is kept and merged
 * with the jar's (the call's value wins for a name both have).
 *
 * Alone on a fetch, it follows `redirect: 'follow'` calls itself, hop by hop
 * (with `@fetchstack/redirect`), so no hop's cookies are lost; beneath a
 * `redirect()` layer (as in the session) it sees one hop per call.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { cookies, CookieJar } from '@fetchstack/cookies';
 * const jar = new CookieJar();
 * const f = wrap(fetch, cookies({ jar }));
 * await f('https://httpbin.org/cookies/set?session=abc'); // stored, redirect followed
 */
export function cookies(options: CookiesOptions = {}): Middleware {
  const fallback = readOptions(options, () => false, 'include');
  const jar: ToughCookieJar = options.jar ?? new CookieJar();
  const follow = redirect();
  return (next: Fetch): Fetch => follow(withJar(next, jar, fallback));
}

function withJar(next: Fetch, jar: ToughCookieJar, fallback: Credentials): Fetch {
  // Not an async function: a call through an empty jar (most calls of a new session) costs one
  // `then`, and a throw beneath still rejects.
  return function cookieJar(input, init) {
    try {
      if (credentialsOf(input, init, fallback) === 'omit') return next(input, init);
      // An empty jar has nothing to send: the call goes down as it came, and its URL is
      // parsed only if the response sets a cookie.
      if (isEmptyMemoryJar(jar)) {
        return Promise.resolve(next(input, init)).then((response) =>
          setsCookies(response) ? stored(jar, response, urlOf(input).href) : response,
        );
      }
      return withStoredCookies(next, jar, input, init);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** A call through a jar that may hold cookies: sends those for its URL, stores what comes back. */
async function withStoredCookies(
  next: Fetch,
  jar: ToughCookieJar,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const parsed = urlOf(input);
  const url = parsed.href;
  const cookie = mayHaveCookies(jar, parsed.hostname) ? await cookieString(jar, url) : '';
  const response = await next(input, cookie ? withCookie(input, init, cookie) : init);
  return stored(jar, response, url);
}

/** Stores the response's `Set-Cookie` lines for `url`, then gives the response back. */
async function stored(jar: ToughCookieJar, response: Response, url: string): Promise<Response> {
  const lines = setCookieLines(response);
  if (lines.length > 0) await storeSetCookies(jar, lines, url);
  return response;
}

/** The index of tough-cookie's own memory store behind `jar`, or `undefined` for any other store. */
function memoryIndex(jar: ToughCookieJar): Record<string, unknown> | undefined {
  const store = jar.store as { idx?: Record<string, unknown> } | undefined;
  if (!store || Object.getPrototypeOf(store) !== MemoryCookieStore.prototype) return undefined;
  const idx = store.idx;
  return typeof idx === 'object' && idx !== null ? idx : undefined;
}

/**
 * True only when the jar certainly holds no cookie at all: tough-cookie's own memory store
 * (synchronous, so nothing is on its way in) with an empty index. A jar on any other store
 * (a shared one, a custom one) is never assumed empty. A store that had cookies removed
 * one by one may keep empty entries: it then takes the lookup, which finds nothing.
 */
export function isEmptyMemoryJar(jar: ToughCookieJar): boolean {
  const idx = memoryIndex(jar);
  if (idx === undefined || notEmpty.has(idx)) return false;
  for (const _ in idx) {
    notEmpty.add(idx);
    return false;
  }
  return true;
}

/**
 * Indexes found holding an entry once: their jar takes the lookup from then on. Asking an
 * index whether it has any key lists all its keys, so a jar of 1,000 domains would pay that
 * on every call. `removeAllCookies()` gives the store a new index, which is asked again.
 */
const notEmpty = new WeakSet<object>();

/**
 * False only when the jar certainly has nothing for `host`: tough-cookie's own
 * memory store, with no entry under the host or any of its parent domains (the
 * only places its lookup reads). Then asking tough-cookie (several µs: public
 * suffix, path and expiry checks) would return '' and touch nothing, so it is
 * skipped. Any other store, or an IP literal, always asks.
 */
function mayHaveCookies(jar: ToughCookieJar, host: string): boolean {
  const idx = memoryIndex(jar);
  if (idx === undefined || host.includes('[') || host.includes(':')) return true;
  if (host.endsWith('.') && host.length > 1 && suffixIndexed(idx, host.slice(0, -1))) return true;
  return suffixIndexed(idx, host);
}

/** Whether `idx` has an entry for `domain` or any domain it ends in (`a.b.c`, `b.c`, `c`). */
function suffixIndexed(idx: Record<string, unknown>, domain: string): boolean {
  let d = domain;
  for (;;) {
    if (idx[d] !== undefined) return true;
    const dot = d.indexOf('.');
    if (dot === -1) return false;
    d = d.slice(dot + 1);
  }
}

async function cookieString(jar: ToughCookieJar, url: string): Promise<string> {
  // A synchronous store (tough-cookie's default) skips the promise machinery.
  return jar.store?.synchronous ? jar.getCookieStringSync(url) : jar.getCookieString(url);
}

/** Whether the response has a `Set-Cookie` line (`getSetCookie()`: about a quarter of `has()`'s cost on Node). */
function setsCookies(response: Response): boolean {
  const { headers } = response;
  return typeof headers.getSetCookie === 'function'
    ? headers.getSetCookie().length > 0
    : headers.has('set-cookie');
}

/** The response's `Set-Cookie` lines (none: an empty array). */
function setCookieLines(response: Response): string[] {
  return typeof response.headers.getSetCookie === 'function'
    ? response.headers.getSetCookie()
    : [response.headers.get('set-cookie')].filter((l): l is string => l !== null);
}

async function storeSetCookies(jar: ToughCookieJar, lines: string[], url: string): Promise<void> {
  const sync = jar.store?.synchronous === true;
  for (const line of lines) {
    // A malformed or refused Set-Cookie (bad domain, public suffix, ...) is skipped.
    try {
      if (sync) jar.setCookieSync(line, url, { ignoreError: true });
      else await jar.setCookie(line, url, { ignoreError: true });
    } catch {
      // ignoreError covers tough-cookie's own errors; a custom store may still throw.
    }
  }
}

/** A new init whose headers carry the jar's cookies after the call's own (never mutates the caller's). */
function withCookie(
  input: string | URL | Request,
  init: RequestInit | undefined,
  stored: string,
): RequestInit {
  const own = init?.headers;
  if (own !== undefined && isPlainRecord(own)) {
    // Keep a plain object plain, so `undefined` entries keep their meaning for layers beneath.
    const copy: Record<string, string | undefined> = {};
    let callerCookie: string | undefined;
    for (const [name, value] of Object.entries(own as Record<string, string | undefined>)) {
      // Two spellings of the name (`Cookie` and `cookie`) are joined, as fetch joins them.
      if (name.toLowerCase() !== 'cookie') copy[name] = value;
      else if (value !== undefined)
        callerCookie = callerCookie === undefined ? value : `${callerCookie}; ${value}`;
    }
    copy.cookie = mergeCookies(callerCookie, stored);
    return extendInit(init, { headers: copy as HeadersInit });
  }
  // The headers a session merged for this one try (`trip`) take the cookie themselves.
  const mine = own !== undefined && own === trip.headers && init === trip.init;
  const headers = mine ? (own as Headers) : headersOf(input, init);
  headers.set('cookie', mergeCookies(headers.get('cookie') ?? undefined, stored));
  return mine ? (init as RequestInit) : extendInit(init, { headers });
}

/** The call's cookies first, then the jar's whose names the call did not set. */
export function mergeCookies(own: string | undefined, stored: string): string {
  if (!own) return stored;
  const names = new Set(own.split(';').map((pair) => pair.split('=')[0]!.trim()));
  const extra = stored.split('; ').filter((pair) => !names.has(pair.split('=')[0]!.trim()));
  return extra.length ? `${own}; ${extra.join('; ')}` : own;
}
