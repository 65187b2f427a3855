import type { Middleware } from '@fetchstack/core';
import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  runtime,
} from '@fetchstack/core/internal';
import type { RetryOptions } from '@fetchstack/retry';
import type { TimeoutOptions } from '@fetchstack/timeout';
import { type AuthOption, checkAuth } from './auth.js';
import type { Hooks } from './hooks.js';
import type { CookiesOption, PoolOption, ProxyOption, TlsOption } from './layers.js';

/** Timeouts of a session, in ms. */
export interface SessionTimeoutOptions {
  /**
   * Until headers, retries and their waits included. In a session it is on by
   * default: leave it out and 30 s apply; `false` removes it.
   * @default 30_000
   */
  total?: number | false | undefined;
  /**
   * Each try (each redirect hop too), until its headers.
   * @default undefined (no limit)
   */
  attempt?: number | undefined;
  /**
   * The longest quiet gap while the body streams (requests' read timeout).
   * @default undefined (no limit)
   */
  read?: number | undefined;
  /**
   * Until the TCP (and TLS) connection is up, per connection. Server runtimes only:
   * it belongs to the transport (`@fetchstack/proxy`).
   * @default undefined (the platform's own, 10 s in undici)
   */
  connect?: number | undefined;
}

/** Options of `createSession`. Every key is optional; leaving one out gives the default shown. */
export interface SessionOptions {
  /**
   * Relative string and `URL`-less inputs resolve against it, by the URL standard
   * (as ky's `baseUrl`): end it with `/` so that `'users'` extends its path.
   * A `Request` input is never changed (it already carries an absolute URL).
   * @default undefined
   * @example createSession({ baseUrl: 'https://api.example.com/v1/' })
   */
  baseUrl?: string | URL | undefined;
  /**
   * Default headers: copied into `session.headers`, a live `Headers` object read
   * at each request. A header the call sets wins.
   * @default {}
   * @example createSession({ headers: { 'User-Agent': 'my-app/1.0', Accept: 'application/json' } })
   */
  headers?: HeadersInit | undefined;
  /**
   * Credentials: `[user, pass]` (Basic), `{ bearer, refresh?, origins? }`, `{ digest: [user, pass] }`,
   * or a Middleware. Replaceable later through `session.auth`.
   * @default undefined (no auth)
   * @example createSession({ auth: { bearer: () => store.token, refresh: renew } })
   */
  auth?: AuthOption;
  /**
   * `true` (a fresh jar), `false` (no cookie handling at all), or a jar to use:
   * a `CookieJar` from `@fetchstack/cookies` or a tough-cookie `CookieJar`.
   * @default true
   */
  cookies?: CookiesOption;
  /**
   * A number (the retry limit), retry options, or `false`. Merged over the session's
   * defaults: `limit: 2`, idempotent methods only, and a retry budget shared by the
   * session (`{ ratio: 0.2, windowMs: 10_000, minPerSecond: 10 }`; `budget: false` removes it).
   * @default { limit: 2, budget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 } }
   */
  retry?: number | RetryOptions | boolean | undefined;
  /**
   * A number (the total timeout), `{ total, attempt, read, connect }`, or `false`.
   * `total` stays 30 s unless you set it (or pass `total: false`).
   * @default { total: 30_000 }
   * @example createSession({ timeout: { connect: 3_050, read: 10_000 } })
   */
  timeout?: number | SessionTimeoutOptions | false | undefined;
  /**
   * A proxy URL, `{ http, https, noProxy }`, `'env'` (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) or `false`.
   * Browsers and Workers cannot use one: any value but `false`/undefined throws `ProxyUnsupportedError` there.
   * @default 'env' on Node, Deno and Bun; none in browsers and Workers
   */
  proxy?: ProxyOption;
  /**
   * TLS settings for HTTPS (servers only): `{ ca, cert, key, rejectUnauthorized }`.
   * @default undefined (the platform's CAs, verification on)
   */
  tls?: TlsOption;
  /**
   * Connection pool (servers only): `{ connections }` per origin.
   * @default undefined (the platform's pool)
   */
  pool?: PoolOption;
  /**
   * Your own layers, outermost: they see each call as you made it (before `baseUrl`).
   * @default []
   */
  middleware?: readonly Middleware[] | undefined;
  /**
   * `beforeRequest`, `afterResponse`, `beforeRetry`; or an array of such objects,
   * e.g. `[logger(console), metrics]`.
   * @default undefined
   */
  hooks?: Hooks | readonly Hooks[] | undefined;
  /**
   * Settings for URLs under a prefix, as `session.mount(prefix, options)` for each entry.
   * @default undefined
   * @example createSession({ mount: { 'https://slow.example.com/': { timeout: 60_000 } } })
   */
  mount?: Record<string, MountOptions> | undefined;
  /**
   * The fetch the stack sits on, instead of the platform's (captured at creation).
   * Cannot be combined with `proxy`, `tls`, `pool` or `timeout.connect`, which make their own.
   * @default globalThis.fetch (or a transport from @fetchstack/proxy when proxy/tls/pool/connect apply)
   */
  fetch?: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) | undefined;
}

/** What `session.mount(prefix, options)` may change for URLs under `prefix`. */
export interface MountOptions {
  retry?: SessionOptions['retry'];
  timeout?: SessionOptions['timeout'];
  /** Merged over the session's live headers (a mount's header wins). */
  headers?: HeadersInit | undefined;
  /** Replaces the session's auth for these URLs (`false`: none). Left out: the session's current auth. */
  auth?: AuthOption;
  proxy?: ProxyOption;
  tls?: TlsOption;
  pool?: PoolOption;
}

export const sessionKeys = [
  'baseUrl',
  'headers',
  'auth',
  'cookies',
  'retry',
  'timeout',
  'proxy',
  'tls',
  'pool',
  'middleware',
  'hooks',
  'mount',
  'fetch',
] as const;

export const mountKeys = ['retry', 'timeout', 'headers', 'auth', 'proxy', 'tls', 'pool'] as const;

export const defaultTotalTimeout = 30_000;
export const defaultBudget = { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 } as const;

/** Proxies are a server thing: the default follows the environment there, and is off elsewhere. */
export const serverRuntime = runtime === 'node' || runtime === 'deno' || runtime === 'bun';

export function checkSessionOptions(options: unknown, where: string): SessionOptions {
  assertOptionsObject(options, where);
  const o = (options ?? {}) as SessionOptions;
  assertKnownKeys(o, sessionKeys, where);
  if (o.middleware !== undefined) {
    if (!Array.isArray(o.middleware)) {
      throw new TypeError(
        `${where}: "middleware" must be an array of layers (next) => fetch; got ${describeValue(o.middleware)}.`,
      );
    }
    o.middleware.forEach((m, i) => {
      if (typeof m !== 'function') {
        throw new TypeError(
          `${where}: "middleware"[${i}] must be a layer (next) => fetch; got ${describeValue(m)}.`,
        );
      }
    });
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function') {
    throw new TypeError(
      `${where}: "fetch" must be a fetch function; got ${describeValue(o.fetch)}.`,
    );
  }
  if (o.cookies !== undefined && typeof o.cookies !== 'boolean' && !isJarLike(o.cookies)) {
    throw new TypeError(
      `${where}: "cookies" must be true, false, a CookieJar from @fetchstack/cookies or a tough-cookie CookieJar; got ${describeValue(o.cookies)}.`,
    );
  }
  if (o.mount !== undefined) {
    assertOptionsObject(o.mount, `${where}: "mount"`);
  }
  checkAuth(o.auth, `${where}: "auth"`);
  return o;
}

function isJarLike(value: unknown): boolean {
  const v = value as any;
  return (
    typeof v === 'object' &&
    v !== null &&
    (typeof v.getCookieString === 'function' || typeof v.all === 'function')
  );
}

export function parseBaseUrl(value: unknown, where: string): URL | undefined {
  if (value === undefined) return undefined;
  const text = value instanceof URL ? value.href : typeof value === 'string' ? value : undefined;
  let url: URL | undefined;
  if (text !== undefined) {
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `${where}: "baseUrl" must be an absolute http(s) URL (a string or URL) such as 'https://api.example.com/v1/'; got ${describeValue(value)}.`,
    );
  }
  return url;
}

/**
 * A mount prefix, normalised for matching against `URL.href`: a scheme
 * (`'https://'`, `'http:'`) or an absolute URL (`'https://api.example.com/v2/'`).
 */
export function parsePrefix(prefix: unknown, where: string): string {
  const bad = () =>
    new TypeError(
      `${where}: the prefix must be a URL prefix: a scheme such as 'https://' or an absolute URL such as 'https://api.example.com/v2/'; got ${describeValue(prefix)}.`,
    );
  if (typeof prefix !== 'string') throw bad();
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?$/i.exec(prefix);
  if (scheme) return `${scheme[1]!.toLowerCase()}:${scheme[2] ?? ''}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(prefix)) throw bad();
  try {
    return new URL(prefix).href;
  } catch {
    throw bad();
  }
}

export function checkMountOptions(options: unknown, where: string): MountOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${where}: options must be an object with any of ${mountKeys.join(', ')}; got ${describeValue(options)}.`,
    );
  }
  assertKnownKeys(options, mountKeys, where);
  const o = options as MountOptions;
  checkAuth(o.auth, `${where}: "auth"`);
  return o;
}

/** The retry options of a stack, or `undefined` for no retry layer. */
export function retryOptions(
  value: SessionOptions['retry'],
  budget: unknown,
  where: string,
): RetryOptions | undefined {
  if (value === false) return undefined;
  if (value === undefined || value === true)
    return { limit: 2, budget: budget as RetryOptions['budget'] };
  if (typeof value === 'number') return { limit: value, budget: budget as RetryOptions['budget'] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${where}: "retry" must be a number (the retry limit), retry options, true or false; got ${describeValue(value)}.`,
    );
  }
  return { budget: budget as RetryOptions['budget'], ...value };
}

/** The timeouts of a stack (`connect` apart), or `undefined` for none. */
export function timeoutOptions(
  value: SessionOptions['timeout'],
  where: string,
): { limits: TimeoutOptions | undefined; connect: number | undefined } {
  if (value === false) return { limits: undefined, connect: undefined };
  if (value === undefined) return { limits: { total: defaultTotalTimeout }, connect: undefined };
  if (typeof value === 'number') return { limits: { total: value }, connect: undefined };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${where}: "timeout" must be a number of ms (the total), { total, attempt, read, connect } or false; got ${describeValue(value)}.`,
    );
  }
  assertKnownKeys(value, ['total', 'attempt', 'read', 'connect'], `${where}: "timeout"`);
  const { connect, total, ...rest } = value as SessionTimeoutOptions;
  if (connect !== undefined && (typeof connect !== 'number' || !(connect > 0))) {
    throw new TypeError(
      `${where}: "timeout.connect" must be a positive number of ms; got ${describeValue(connect)}.`,
    );
  }
  const limits: TimeoutOptions = {};
  if (rest.attempt !== undefined) limits.attempt = rest.attempt;
  if (rest.read !== undefined) limits.read = rest.read;
  if (total !== false) limits.total = total ?? defaultTotalTimeout;
  const empty =
    limits.total === undefined && limits.attempt === undefined && limits.read === undefined;
  return { limits: empty ? undefined : limits, connect };
}
