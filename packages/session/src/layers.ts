// Where the session meets the wrappers whose options it passes through:
// cookies, redirect and the transport (proxy, TLS, pool, connect timeout).
import type { Fetch, Middleware } from '@fetchstack/core';
// TODO(cookies): import { CookieJar, cookies } from '@fetchstack/cookies' when it lands.
import { redirect } from '@fetchstack/redirect';
// TODO(proxy): import { createTransport } from '@fetchstack/proxy' when it lands.

/** TODO(cookies): placeholder type until @fetchstack/cookies lands; no jar is made meanwhile. */
export interface CookieJar {
  readonly pending: true;
}

/** A proxy URL, `{ http, https, noProxy }`, `'env'`, or `false` for none. */
export type ProxyOption =
  | string
  | URL
  | { http?: string | URL | undefined; https?: string | URL | undefined; noProxy?: string | readonly string[] | undefined }
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

/** The jar a session keeps: ours, wrapping a tough-cookie jar when one is given. */
export function makeJar(option: CookiesOption): CookieJar | undefined {
  // TODO(cookies): no cookie layer until @fetchstack/cookies lands.
  void option;
  return undefined;
}

export function cookieLayer(jar: CookieJar | undefined): Middleware | undefined {
  // TODO(cookies): cookies({ jar }) when @fetchstack/cookies lands.
  void jar;
  return undefined;
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
  const wanted = (proxy !== undefined && proxy !== false) || tls !== undefined || pool !== undefined || connect !== undefined;
  if (!wanted) return { fetch: platformFetch, close: async () => {} };
  const options: Record<string, unknown> = {};
  if (proxy !== undefined && proxy !== false) options.proxy = proxy;
  if (tls !== undefined) options.tls = tls;
  if (pool !== undefined) options.pool = pool;
  if (connect !== undefined) options.connect = connect;
  // TODO(proxy): createTransport(options) when @fetchstack/proxy lands. Until then 'env' sends
  // direct (as with no proxy variable set) and any explicit setting is refused, never ignored.
  if (proxy === 'env' && tls === undefined && pool === undefined && connect === undefined) {
    return { fetch: platformFetch, close: async () => {} };
  }
  throw new TypeError(
    `createSession(): proxy, tls, pool and timeout.connect need @fetchstack/proxy, which is not integrated yet (${Object.keys(options).join(', ')}).`,
  );
}
