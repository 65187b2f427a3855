// Browsers: the browser keeps cookies (a page cannot read Set-Cookie or send Cookie),
// so this build only sets `credentials` and ships no tough-cookie.
import type { Fetch, Middleware } from '@fetchstack/core';
import type { CookieJar as ToughCookieJar } from 'tough-cookie';
import type { CookieDeleteOptions, CookieSetOptions, JarCookie } from './jar.js';
import { type CookiesOptions, credentialsOf, isToughJar, readOptions } from './options.js';
import { CookieJarUnavailableError } from './unavailable-error.js';

export { CookieJarUnavailableError, isCookieJarUnavailableError } from './unavailable-error.js';
export type { CookieDeleteOptions, CookieSetOptions, CookiesOptions, JarCookie };

/**
 * True for a jar `cookies({ jar })` and `createSession({ cookies })` accept: a tough-cookie
 * `CookieJar` (any copy), or this build's `CookieJar` stand-in.
 */
export function isCookieJar(value: unknown): value is CookieJar | ToughCookieJar {
  return value instanceof CookieJar || isToughJar(value);
}

/**
 * Browsers: the browser's own jar decides. Without `credentials`, the call goes as the caller
 * made it (fetch's default `'same-origin'`: cookies for the page's own origin only), as plain
 * `fetch` goes; `cookies({ credentials: 'include' })` sends the browser's cookies to other
 * origins too, for calls that do not say otherwise.
 */
export function cookies(options: CookiesOptions = {}): Middleware {
  // The browser build's own CookieJar stand-in is a valid (ignored) jar here, so a session can pass it.
  const fallback = readOptions(options, isCookieJar, undefined);
  return (next: Fetch): Fetch => {
    // Nothing to add: the call goes on as made (its own credentials, or fetch's default).
    // Sending `'include'` by default made every cross-origin call a credentialed one, which a
    // public API answering `Access-Control-Allow-Origin: *` refuses ("Failed to fetch").
    if (fallback === undefined) return next;
    return function browserCookies(input, init) {
      const credentials = credentialsOf(input, init, fallback);
      if (init?.credentials === credentials) return next(input, init);
      return next(input, { ...init, credentials });
    };
  };
}

/**
 * Browsers: a stand-in with the same methods, each rejecting with
 * `CookieJarUnavailableError` (the browser's jar cannot be read from a page).
 */
export class CookieJar {
  async set(_name: string, _value: string, _options: CookieSetOptions): Promise<JarCookie> {
    throw new CookieJarUnavailableError('set');
  }
  async get(_name: string, _url: string | URL): Promise<JarCookie | undefined> {
    throw new CookieJarUnavailableError('get');
  }
  async all(_url?: string | URL): Promise<JarCookie[]> {
    throw new CookieJarUnavailableError('all');
  }
  async delete(_name: string, _options?: CookieDeleteOptions): Promise<number> {
    throw new CookieJarUnavailableError('delete');
  }
  async clear(): Promise<void> {
    throw new CookieJarUnavailableError('clear');
  }
  toJSON(): never {
    throw new CookieJarUnavailableError('toJSON');
  }
  static fromJSON(_json: unknown): CookieJar {
    throw new CookieJarUnavailableError('fromJSON');
  }
}
