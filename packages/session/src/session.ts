import type { CookieJar } from '@fetchstack/cookies';
import { compose, type Fetch } from '@fetchstack/core';
import { callClock, contextOf, extendInit } from '@fetchstack/core/internal';
import { RetryBudget } from '@fetchstack/retry';
import type { Input, KyInstance, Options as KyOptions, ResponsePromise } from 'ky';
import { type AuthOption, makeAuth } from './layers/auth.js';
import { makeJar } from './layers/cookies.js';
import { makeHeaders } from './layers/headers.js';
import { normalizeHooks } from './layers/hooks.js';
import { fetchMarkKey, loadedRun, loadRun, type SessionState } from './layers/layer.js';
import { defaultBudget, retryOver } from './layers/retry.js';
import { timeoutOver } from './layers/timeout.js';
import { openTransport, type Transport } from './layers/transport.js';
import {
  type CallOptions,
  checkCallOptions,
  checkMountOptions,
  checkSessionOptions,
  type MountOptions,
  parsePrefix,
  type SessionOptions,
  type SessionRequestInit,
} from './options.js';
import { snapshot } from './snapshot.js';
import { buildStack, type Stack } from './stack.js';
import { parseBaseUrl } from './url.js';

/**
 * A session: a fetch function with shared headers, auth, cookies, retries, timeouts and
 * transport, in the order the README's diagram shows.
 */
export interface Session extends Fetch {
  /** A call, with optional per-call settings in `init.fetchstack` (`{ retry, timeout }`). */
  (input: string | URL | Request, init?: SessionRequestInit): Promise<Response>;
  /** The session itself, as a property: `const { fetch } = session`. */
  readonly fetch: Session;
  /**
   * Default headers, live: changes apply to the next request. Assigning an object, pairs or a
   * `Headers` replaces them all (`session.headers = { Accept: 'text/html' }`, as in requests).
   */
  get headers(): Headers;
  set headers(value: HeadersInit | Record<string, string | undefined>);
  /** The credentials; assign to replace them for the next request (checked on assignment). */
  auth: AuthOption;
  /**
   * The cookie jar (`set`, `get`, `all`, `delete`, `clear`, JSON). Reading it on a session
   * made with `cookies: false` throws a `TypeError`.
   */
  readonly cookies: CookieJar;
  /** A ky instance over this session: ky's retry and timeout off, `baseUrl` = the session's. */
  readonly client: SessionClient;
  /** The session's `baseUrl` (a folder: its path ends with `/`), if any. */
  readonly baseUrl: URL | undefined;
  /** `true` once `close()` has been called. */
  readonly closed: boolean;
  /**
   * Settings for URLs that start with `prefix` (a scheme like `'https://'` or an absolute
   * URL); the longest matching prefix wins. Shares the session's jar, live headers and retry
   * budget. Returns the session.
   */
  mount(prefix: string, options: MountOptions): Session;
  /** Frees the session's sockets; later calls reject with `SessionClosedError`. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const where = 'createSession()';
/** The call-context key under which a session marks its own calls. */
const contextName = 'fetchstack/session';
/** On a session: the global fetch it was made over (for a session made over it in turn). */
const beneathKey = Symbol.for('fetchstack.session.globalFetch');

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

/** ky's options for a call through `session.client`: ky's own, and the session's `fetchstack`. */
export interface ClientOptions extends KyOptions {
  /**
   * Settings for this call only, passed on to the session (see `CallOptions`).
   * @example session.client.post('report', { json, fetchstack: { timeout: 120_000 } })
   */
  fetchstack?: CallOptions | undefined;
}

/**
 * `session.client`: a ky instance (it can be used wherever a `KyInstance` is expected)
 * whose calls and `extend()` also take the session's per-call `fetchstack` settings.
 */
export type SessionClient = Omit<
  KyInstance,
  'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'query' | 'extend'
> & {
  <T>(url: Input, options?: ClientOptions): ResponsePromise<T>;
  get: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  post: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  put: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  delete: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  patch: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  head: (url: Input, options?: ClientOptions) => ResponsePromise;
  query: <T>(url: Input, options?: ClientOptions) => ResponsePromise<T>;
  extend: (
    defaultOptions: ClientOptions | ((parentOptions: ClientOptions) => ClientOptions),
  ) => SessionClient;
};

/**
 * Makes the ky instance behind `session.client`. The default entry passes one (and so
 * imports ky); `@fetchstack/session/lean` passes none, so ky stays out of its bundles.
 * @internal
 */
export type ClientFactory = (session: Session, baseUrl: string | undefined) => SessionClient;

/** A copy of `init` marked as handed to a fetch of yours by the session (`mark`). */
function markedForFetch(init: RequestInit | undefined, mark: object): RequestInit {
  const out: RequestInit & { [fetchMarkKey]?: object } = extendInit(init, undefined);
  out[fetchMarkKey] = mark;
  return out;
}

/** createSession() with the factory of `session.client` (or none: the getter then explains). @internal */
export function makeSession(
  options: SessionOptions,
  makeClient: ClientFactory | undefined,
): Session {
  const o = checkSessionOptions(options, where);
  const baseUrl = parseBaseUrl(o.baseUrl, where);
  const liveHeaders = makeHeaders(o.headers, where);
  let currentAuth: AuthOption = o.auth;
  // Marks this session's calls where they reach code that is not fetchstack's (your auth
  // middleware, your fetch beneath), so that one coming back in is known (see `session` below).
  const fromAuth = {};
  const fromFetch = {};
  const mark = { [contextName]: fromAuth };
  let currentAuthLayer = makeAuth(o.auth, `${where}: "auth"`, o.store, mark);
  const jar = makeJar(o.cookies, where, o.store);
  // Captured now: `globalThis.fetch = session` later must never make the session call itself.
  // (Every runtime the session supports has one; `fetch` is how to run where there is none.)
  // A session put in its place (`globalThis.fetch = session`) is not sat on: another session
  // made later uses the global fetch that one was made over, not its headers, retries and
  // close().
  let global = globalThis.fetch as (Fetch & { [beneathKey]?: Fetch }) | undefined;
  while (global?.[beneathKey]) global = global[beneathKey];
  const globalFetch: Fetch | undefined =
    global === globalThis.fetch ? globalThis.fetch?.bind(globalThis) : global;
  const platformFetch: Fetch = o.fetch ?? (globalFetch as Fetch);
  const transports: Transport[] = [];

  const hooks = normalizeHooks(o.hooks, where);
  // A store's failure (the cache's store, the fleet's) never fails a call: no hook is awaited,
  // and one that throws or rejects is ignored.
  const storeError = hooks.storeError.length
    ? (error: unknown) => {
        for (const hook of hooks.storeError) {
          Promise.resolve()
            .then(() => hook({ error }))
            .catch(() => {});
        }
      }
    : undefined;
  const state: SessionState = {
    headers: liveHeaders,
    mark,
    fetchMark: fromFetch,
    auth: () => currentAuthLayer,
    jar,
    hooks,
    storeError,
    // One retry budget for the whole session (every mount included) unless one is given.
    // Its clock is the one the session's total timeout reads for each call (`callClock`): the
    // budget counts the call with that reading instead of one of its own.
    budget: new RetryBudget(defaultBudget, callClock),
    fetch: o.fetch,
    transport(settings, at) {
      const transport = openTransport(settings, at);
      transports.push(transport);
      return transport;
    },
    // Only a call in flight asks (a redirect hop), so the per-call code is there.
    route: (input) =>
      mounts.length > 0 ? (loadedRun()!.stackOf(input, mounts) ?? defaultStack) : undefined,
    closed: () => closed,
    closers: new Set(),
  };

  // A fleet store's outages go to the storeError hooks too (logger() writes one line), until
  // close().
  const unwatch = storeError && o.store?.watchErrors?.(storeError);
  if (typeof unwatch === 'function') state.closers.add(unwatch);

  const own = new Set(Object.keys(o));
  const defaultStack = buildStack(o, own, { where, session: state }, platformFetch);

  /** Mounts, longest prefix first. */
  const mounts: { prefix: string; stack: Stack }[] = [];
  let closed = false;

  function mount(prefix: string, mountOptions: MountOptions): Session {
    // Every message about this mount names its prefix: with a user name and password hidden.
    const shown = typeof prefix === 'string' ? prefix.replace(/\/\/[^/?#]*@/, '//***@') : prefix;
    const label = `session.mount(${JSON.stringify(shown)}, options)`;
    const key = parsePrefix(prefix, label);
    const m = checkMountOptions(mountOptions, label);
    if (closed) throw new TypeError(`${label}: this session is closed.`);
    // retry and timeout: the mount's are merged over the session's, as one call's are.
    const values = { ...o, ...m };
    if (m.retry !== undefined) values.retry = retryOver(o.retry, m.retry);
    if (m.timeout !== undefined) values.timeout = timeoutOver(o.timeout, m.timeout);
    const stack = buildStack(
      values,
      new Set(Object.keys(m)),
      { where: label, session: state },
      platformFetch,
      defaultStack,
    );
    const existing = mounts.findIndex((entry) => entry.prefix === key);
    if (existing !== -1) mounts.splice(existing, 1);
    mounts.push({ prefix: key, stack });
    mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    return session;
  }

  // The code that carries calls loads in the background now; the first call waits for it if
  // it is not there yet (a failure to load rejects that call, and the next one tries again).
  loadRun().catch(() => {});
  /** A fetch, and `since`: when a call that waited for the per-call code came in. */
  type Dispatch = (...args: [...Parameters<Fetch>, since?: number]) => ReturnType<Fetch>;
  /** The call's way through the session (run.ts), made once the code is there. */
  let run: Dispatch | undefined;
  /** Hands the call to the per-call code (run.ts), once it has loaded; a throw there rejects. */
  const dispatch: Dispatch = (input, init, since) => {
    if (!run) {
      const code = loadedRun();
      if (!code) {
        const arrived = since ?? performance.now();
        return loadRun().then(() => dispatch(input, init, arrived));
      }
      run = code.makeDispatch({
        baseUrl,
        mounts,
        defaultStack,
        closed: () => closed,
        checkCallOptions,
        // Over a fetch of yours, init is its business.
        checkInit: !o.fetch,
      });
    }
    try {
      return run(input, init, since);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const outermost = compose(...(o.middleware ?? []))(dispatch as Fetch);

  // The calls made and not yet settled: once close() has been called, the transports close
  // when the last of them settles (each sends its first try; its retries and redirect hops
  // after close() are refused).
  // Over a fetch of yours there is no transport (at any level: `fetch` cannot be combined with
  // one), so unless the jar writes to a shared store, close() has nothing to wait for, and the
  // calls are not counted (the count costs each call a `then`).
  const counted = !o.fetch || jar?.shared === true;
  let calls = 0;
  let allSettled: (() => void) | undefined;
  const settled = () => {
    if (--calls === 0) allSettled?.();
  };
  const inFlight = (pending: Promise<Response> | Response): Promise<Response> | Response => {
    if (!counted || !(pending instanceof Promise)) return pending;
    calls++;
    pending.then(settled, settled);
    return pending;
  };

  // Not an async function: one promise per call less. It still always returns a promise, and
  // a layer that throws rejects it rather than throwing at the caller, as fetch does.
  const session = function session(input: string | URL | Request, callInit?: SessionRequestInit) {
    // (Its headers may hold `undefined` entries, which the headers layer reads as removals.)
    const init = callInit as RequestInit | undefined;
    try {
      // A call that carries this session's own mark comes from beneath it: an auth middleware
      // or a fetch of yours that reads `globalThis.fetch` at call time after
      // `globalThis.fetch = session`. It is sent on rather than round the session again: from
      // your auth middleware, to the fetch beneath; from your fetch beneath, to the global
      // fetch there was when the session was made.
      // (The fetch's mark first: a call your auth middleware passed on reaches your fetch with
      // both.)
      const pending =
        (init as { [fetchMarkKey]?: object } | undefined)?.[fetchMarkKey] === fromFetch
          ? (globalFetch as Fetch)(input, init)
          : contextOf(init)[contextName] === fromAuth
            ? o.fetch
              ? o.fetch(input, markedForFetch(init, fromFetch))
              : platformFetch(input, init)
            : closed
              ? loadRun().then((code) => Promise.reject(code.closedError(input, init, baseUrl)))
              : inFlight(
                  // (A string and no init, most calls: nothing the caller could change.)
                  init === undefined && typeof input === 'string'
                    ? outermost(input, init)
                    : outermost(...snapshot(input, init)),
                );
      return pending instanceof Promise ? pending : Promise.resolve(pending);
    } catch (error) {
      return Promise.reject(error);
    }
  } as Session;

  let client: SessionClient | undefined;

  Object.defineProperties(session, {
    [beneathKey]: { value: globalFetch },
    fetch: { value: session, enumerable: true },
    headers: {
      enumerable: true,
      get: () => liveHeaders,
      set(value: HeadersInit | Record<string, string | undefined>) {
        // Checked whole first: a bad one leaves the headers as they were.
        const next = makeHeaders(value, 'session.headers');
        for (const name of [...liveHeaders.keys()]) liveHeaders.delete(name);
        for (const [name, v] of next) liveHeaders.append(name, v);
      },
    },
    baseUrl: { get: () => (baseUrl ? new URL(baseUrl.href) : undefined), enumerable: true },
    closed: { get: () => closed, enumerable: true },
    auth: {
      enumerable: true,
      get: () => currentAuth,
      set(value: AuthOption) {
        currentAuthLayer = makeAuth(value, 'session.auth', o.store, mark);
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
    for (const stop of state.closers) stop();
    // What the jar wrote to a shared store is there once this has run (the store stays open).
    const release = async () => {
      await Promise.all([...transports.map((t) => t.close()), jar?.flush()]);
    };
    if (calls === 0) return release();
    // Calls made before now go on: each sends its first try (through transports still open),
    // and a retry or a redirect hop of theirs is refused, so they settle soon. close() does not
    // wait for them (a call handed to a Worker's waitUntil() outlives the block that made the
    // session); the transports close when the last of them settles.
    allSettled = () => {
      release().catch(() => {});
    };
  }

  if (o.mount) {
    for (const [prefix, mountOptions] of Object.entries(o.mount)) mount(prefix, mountOptions);
  }
  return session;
}
