// Where the session meets the wrappers whose options it passes through:
// cookies, redirect and the transport (proxy, TLS, pool, connect timeout).

import { CookieJar, cookies } from '@fetchstack/cookies';
import type { Fetch, Middleware } from '@fetchstack/core';
import { createTransport } from '@fetchstack/proxy';
import { redirect } from '@fetchstack/redirect';

/** A proxy URL, `{ http, https, noProxy }`, `'env'`, or `false` for none. */
export type ProxyOption =
  | string
  | URL
  | {
      http?: string | URL | undefined;
      https?: string | URL | undefined;
      noProxy?: string | readonly string[] | undefined;
    }
  | 'env'
  | false
  | undefined;

/** TLS settings (servers only). */
export interface TlsSettings {
  /** PEM of the CA(s) to trust (replaces the default list). */
  ca?: string | readonly string[] | undefined;
  /** PEM of the client certificate (mTLS). */
  cert?: string | undefined;
  /** PEM of the client key (mTLS). */
  key?: string | undefined;
  /** @default true */
  rejectUnauthorized?: boolean | undefined;
}
export type TlsOption = TlsSettings | undefined;

/** Pool settings (servers only). */
export interface PoolSettings {
  /** Connections per origin. */
  connections?: number | undefined;
}
export type PoolOption = PoolSettings | undefined;

/** `true`, `false`, or a jar (ours or tough-cookie's). */
export type CookiesOption = boolean | CookieJar | object | undefined;

export { CookieJar };

/**
 * The session's jar: `jar` is what the cookie layer uses, `view` what
 * `session.cookies` shows. They are the same object, except for a tough-cookie
 * jar from elsewhere: the layer then uses it as it is (its own options and
 * rules), and the view is a fetchstack `CookieJar` over the same store.
 */
export function makeJar(option: CookiesOption): { jar: object; view: CookieJar } | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === true) {
    const jar = new CookieJar();
    return { jar, view: jar };
  }
  if (option instanceof CookieJar) return { jar: option, view: option };
  const store = (option as { store?: unknown }).store;
  return { jar: option, view: new CookieJar(store as never) };
}

export function cookieLayer(jar: { jar: object } | undefined): Middleware | undefined {
  if (!jar) return undefined;
  // Browsers: the CookieJar there is a stand-in (the browser keeps the cookies) that
  // cookies() does not take as a jar; the layer then only sets `credentials`.
  const tough = typeof (jar.jar as { getCookieString?: unknown }).getCookieString === 'function';
  return tough ? cookies({ jar: jar.jar as CookieJar }) : cookies();
}

export function redirectLayer(): Middleware {
  return redirect();
}

export interface TransportSettings {
  proxy: ProxyOption;
  tls: TlsOption;
  pool: PoolOption;
  connect: number | undefined;
}

export interface Transport {
  fetch: Fetch;
  close(): Promise<void>;
}

/**
 * The fetch at the bottom of a stack. A transport from @fetchstack/proxy when a
 * proxy, TLS, pool or connect setting applies (it owns sockets the session frees
 * on close); else the platform's fetch, captured now, so that
 * `globalThis.fetch = session` later never makes the session call itself.
 */
export function makeTransport(settings: TransportSettings, platformFetch: Fetch): Transport {
  const { proxy, tls, pool, connect } = settings;
  const wanted =
    (proxy !== undefined && proxy !== false) ||
    tls !== undefined ||
    pool !== undefined ||
    connect !== undefined;
  if (!wanted) return { fetch: platformFetch, close: async () => {} };
  // Always say which proxy: left out, createTransport would read the environment.
  const options: Record<string, unknown> = { proxy: proxy ?? false };
  if (tls !== undefined) options.tls = tls;
  if (pool !== undefined) options.pool = pool;
  if (connect !== undefined) options.connect = connect;
  const transport = createTransport(options as never);
  return { fetch: transport.fetch, close: () => transport.close() };
}
