import { compose, type Fetch, type Middleware } from '@fetchstack/core';
import { contextOf, describeValue, isRequest, withContext } from '@fetchstack/core/internal';
import { headers as headersLayer } from '@fetchstack/headers';
import { RetryBudget, type RetryInfo, retry } from '@fetchstack/retry';
import { splitTimeout } from '@fetchstack/timeout';
import type { KyInstance } from 'ky';
import { type AuthOption, authLayer, liveAuth } from './auth.js';
import { type HookLists, hooksLayer, normalizeHooks } from './hooks.js';
import {
  type CookieJar,
  cookieLayer,
  makeJar,
  makeTransport,
  redirectLayer,
  type Transport,
  type TransportSettings,
} from './layers.js';
import {
  checkMountOptions,
  checkSessionOptions,
  defaultBudget,
  type MountOptions,
  parseBaseUrl,
  parsePrefix,
  retryOptions,
  type SessionOptions,
  serverRuntime,
  timeoutOptions,
} from './options.js';
import { SessionClosedError } from './session-closed-error.js';

/**
 * A session: a fetch function with shared headers, auth, cookies, retries,
 * timeouts and transport, in the order the README's diagram shows.
 */
export interface Session extends Fetch {
  /** The session itself, as a property: `const { fetch } = session`. */
  readonly fetch: Fetch;
  /** Default headers, live: changes apply to the next request. */
  readonly headers: Headers;
  /** The credentials; assign to replace them for the next request (validated on assignment). */
  auth: AuthOption;
  /**
   * The cookie jar (`set`, `get`, `all`, `delete`, `clear`, JSON). Reading it on a
   * session made with `cookies: false` throws a `TypeError`.
   */
  readonly cookies: CookieJar;
  /** A ky instance over this session: ky's retry and timeout off, `baseUrl` = the session's. */
  readonly client: KyInstance;
  /** The session's `baseUrl`, if any. */
  readonly baseUrl: URL | undefined;
  /** `true` once `close()` has been called. */
  readonly closed: boolean;
  /**
   * Settings for URLs that start with `prefix` (a scheme like `'https://'` or an
   * absolute URL); the longest matching prefix wins. Shares the session's jar and
   * live headers. Returns the session.
   */
  mount(prefix: string, options: MountOptions): Session;
  /** Frees the session's sockets; later calls reject with `SessionClosedError`. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const where = 'createSession()';
/** The call-context key under which a session marks its own calls. */
const contextName = 'fetchstack/session';

/**
 * Makes a session without ky (`@fetchstack/session/lean`): the same as the default entry's,
 * except that `session.client` throws; `withClient(session)` from `@fetchstack/session/client`
 * gives the ky client. See the README for every option, its default, and the order of layers.
 *
 * @example
 * import { createSession } from '@fetchstack/session/lean';
 * await using session = createSession({ baseUrl: 'https://api.example.com/v1/', auth: { bearer: token } });
 * const res = await session('users/me');
 */
export function createSession(options: SessionOptions = {}): Session {
  return makeSession(options, undefined);
}

/**
 * Makes the ky instance behind `session.client`. The default entry passes one (and so
 * bundles ky); `@fetchstack/session/lean` passes none, so ky stays out of its bundles.
 * @internal
 */
export type ClientFactory = (session: Session, baseUrl: string | undefined) => KyInstance;

/** createSession() with the factory of `session.client` (or none: the getter then explains). @internal */
export function makeSession(
  options: SessionOptions,
  makeClient: ClientFactory | undefined,
): Session {
  const o = checkSessionOptions(options, where);
  const baseUrl = parseBaseUrl(o.baseUrl, where);

  let liveHeaders: Headers;
  try {
    liveHeaders = new Headers(o.headers);
  } catch (error) {
    throw new TypeError(
      `${where}: "headers" must be a Headers object, a plain object or [name, value] pairs with valid names and values: ${(error as Error).message}`,
      { cause: error },
    );
  }

  let currentAuth: AuthOption = o.auth;
  let currentAuthLayer = authLayer(o.auth, `${where}: "auth"`);
  const jar = makeJar(o.cookies);
  const hooks = normalizeHooks(o.hooks, where);
  // One retry budget for the whole session (every mount included) unless one is given.
  const budget = new RetryBudget(defaultBudget);
  // Captured now: `globalThis.fetch = session` later must never make the session call itself.
  const platformFetch: Fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const transports: Transport[] = [];

  const baseSettings: TransportSettings = {
    proxy: o.proxy ?? (serverRuntime && !o.fetch ? 'env' : undefined),
    tls: o.tls,
    pool: o.pool,
    connect: timeoutOptions(o.timeout, where).connect,
  };
  if (o.fetch && (o.proxy || o.tls || o.pool || baseSettings.connect !== undefined)) {
    throw new TypeError(
      `${where}: "fetch" replaces the transport, so it cannot be combined with "proxy", "tls", "pool" or "timeout.connect". Configure those on the fetch you pass, or leave "fetch" out.`,
    );
  }

  function transportFor(settings: TransportSettings): Transport {
    const transport = makeTransport(settings, platformFetch);
    transports.push(transport);
    return transport;
  }

  function buildStack(
    label: string,
    retryValue: SessionOptions['retry'],
    timeoutValue: SessionOptions['timeout'],
    headerSource: Headers | (() => Headers),
    auth: () => Middleware | undefined,
    transport: Transport,
  ): Fetch {
    const { limits } = timeoutOptions(timeoutValue, label);
    const { outer, inner } = limits ? splitTimeout(limits) : { outer: undefined, inner: undefined };
    const retrying = retryOptions(retryValue, budget, label);
    return compose(
      outer,
      retrying && retry({ ...retrying, onRetry: chainRetry(retrying.onRetry, hooks) }),
      hooksLayer(hooks),
      redirectLayer(),
      headersLayer(headerSource),
      liveAuth(auth),
      cookieLayer(jar),
      inner,
    )(transport.fetch);
  }

  const defaultStack = buildStack(
    where,
    o.retry,
    o.timeout,
    liveHeaders,
    () => currentAuthLayer,
    transportFor(baseSettings),
  );

  /** Mounts, longest prefix first. */
  const mounts: { prefix: string; fetch: Fetch }[] = [];
  let closed = false;

  function mount(prefix: string, mountOptions: MountOptions): Session {
    const label = `session.mount(${JSON.stringify(prefix)}, options)`;
    const key = parsePrefix(prefix, label);
    const m = checkMountOptions(mountOptions, label);
    if (closed) throw new TypeError(`${label}: this session is closed.`);
    let ownHeaders: Headers | undefined;
    if (m.headers !== undefined) {
      try {
        ownHeaders = new Headers(m.headers);
      } catch (error) {
        throw new TypeError(`${label}: "headers": ${(error as Error).message}`, { cause: error });
      }
    }
    const headerSource = ownHeaders
      ? () => {
          const merged = new Headers(liveHeaders);
          for (const [name, value] of ownHeaders!) merged.set(name, value);
          return merged;
        }
      : liveHeaders;
    const auth =
      'auth' in m
        ? (() => {
            const fixed = authLayer(m.auth, `${label}: "auth"`);
            return () => fixed;
          })()
        : () => currentAuthLayer;
    const connect = m.timeout !== undefined ? timeoutOptions(m.timeout, label).connect : undefined;
    const ownTransport =
      m.proxy !== undefined || m.tls !== undefined || m.pool !== undefined || connect !== undefined;
    if (ownTransport && o.fetch) {
      throw new TypeError(
        `${label}: this session was made with "fetch", so a mount cannot set proxy, tls, pool or timeout.connect.`,
      );
    }
    const transport = ownTransport
      ? transportFor({
          proxy: m.proxy ?? baseSettings.proxy,
          tls: m.tls ?? baseSettings.tls,
          pool: m.pool ?? baseSettings.pool,
          connect: connect ?? baseSettings.connect,
        })
      : transports[0]!;
    const fetch = buildStack(
      label,
      'retry' in m ? m.retry : o.retry,
      'timeout' in m ? m.timeout : o.timeout,
      headerSource,
      auth,
      transport,
    );
    const existing = mounts.findIndex((entry) => entry.prefix === key);
    if (existing !== -1) mounts.splice(existing, 1);
    mounts.push({ prefix: key, fetch });
    mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    return session;
  }

  /** Resolves a relative input against baseUrl, then hands the call to the stack of its longest mount prefix. */
  const dispatch: Fetch = async function dispatch(input, init) {
    if (closed) throw new SessionClosedError(resolve(input), init);
    const target = resolve(input);
    // Marks the call as this session's own, down to the transport (see `session` below).
    const marked = withContext(init, { [contextName]: token });
    if (mounts.length > 0) {
      const href = hrefOf(target);
      for (const entry of mounts) {
        if (href.startsWith(entry.prefix)) return entry.fetch(target, marked);
      }
    }
    return defaultStack(target, marked);
  };

  function resolve(input: string | URL | Request): string | URL | Request {
    if (!baseUrl || isRequest(input)) return input;
    // A string that is already absolute passes through unchanged; a relative one extends baseUrl.
    if (typeof input === 'string') return new URL(input, baseUrl).href;
    return input;
  }

  const outermost = compose(...(o.middleware ?? []))(dispatch);

  const token = {};
  const session = async function session(input: string | URL | Request, init?: RequestInit) {
    // A call that carries this session's own mark comes from beneath it: a transport that
    // reads `globalThis.fetch` at call time after `globalThis.fetch = session`. Send it on
    // with the fetch captured at creation instead of going round again.
    if (contextOf(init)[contextName] === token) return platformFetch(input, init);
    if (closed) throw new SessionClosedError(resolve(input), init);
    return outermost(input, init);
  } as Session;

  let client: KyInstance | undefined;

  Object.defineProperties(session, {
    fetch: { value: session, enumerable: true },
    headers: { value: liveHeaders, enumerable: true },
    baseUrl: { get: () => (baseUrl ? new URL(baseUrl.href) : undefined), enumerable: true },
    closed: { get: () => closed, enumerable: true },
    auth: {
      enumerable: true,
      get: () => currentAuth,
      set(value: AuthOption) {
        currentAuthLayer = authLayer(value, 'session.auth');
        currentAuth = value;
      },
    },
    cookies: {
      enumerable: true,
      get() {
        if (!jar) {
          throw new TypeError(
            'session.cookies: this session was made with cookies: false, so it has no jar. Pass cookies: true (the default) or a CookieJar to createSession().',
          );
        }
        return jar.view;
      },
    },
    client: {
      enumerable: true,
      get() {
        // Made on first use: a session that never uses ky never builds an instance.
        if (!makeClient) {
          throw new TypeError(
            "session.client: this session comes from '@fetchstack/session/lean', which leaves ky out of the bundle. Use withClient(session) from '@fetchstack/session/client', or createSession from '@fetchstack/session'.",
          );
        }
        client ??= makeClient(session, baseUrl?.href);
        return client;
      },
    },
    mount: { value: mount },
    close: { value: close },
    [Symbol.asyncDispose]: { value: close },
  });

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await Promise.all(transports.map((t) => t.close()));
  }

  if (o.mount) {
    for (const [prefix, mountOptions] of Object.entries(o.mount)) mount(prefix, mountOptions);
  }
  return session;
}

/** The URL of a call as `URL.href` (normalised: scheme and host lower-cased, dot segments gone), for mount matching. */
function hrefOf(target: string | URL | Request): string {
  if (isRequest(target)) return target.url;
  if (target instanceof URL) return target.href;
  try {
    return new URL(target).href;
  } catch {
    return target;
  }
}

/** The retry layer's `onRetry`: the options' own first, then the `beforeRetry` hooks. */
function chainRetry(
  own: ((info: RetryInfo) => void | Promise<void>) | undefined,
  hooks: HookLists,
): ((info: RetryInfo) => Promise<void>) | undefined {
  if (!own && hooks.beforeRetry.length === 0) return undefined;
  if (own !== undefined && typeof own !== 'function') {
    throw new TypeError(`${where}: "retry.onRetry" must be a function; got ${describeValue(own)}.`);
  }
  return async function onRetry(info) {
    if (own) await own(info);
    for (const hook of hooks.beforeRetry) {
      await hook({
        request: info.request,
        response: info.response,
        error: info.error,
        attempt: info.attempt,
        delay: info.delay,
      });
    }
  };
}
