import type { Fetch, Middleware } from '@fetchstack/core';

/** A proxy URL: a string (`'http://user:pass@proxy.local:3128'`, or `'proxy.local:3128'` for http) or a `URL`. */
export type ProxyUrl = string | URL;

/**
 * Where requests go through a proxy:
 * - a proxy URL (string or `URL`): every request, http and https (Deno and Bun still send the
 *   hosts of the environment's `NO_PROXY` direct, by themselves: see the README);
 * - `{ http, https, noProxy }`: one proxy per scheme of the target URL, and hosts that go direct;
 * - `'env'`: `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` (either case), read once, when the
 *   transport is created. Nothing set = direct.
 *
 * Credentials in a proxy URL go to the proxy only (`Proxy-Authorization`), never to the origin.
 *
 * @example
 * proxy('http://127.0.0.1:3128')
 * proxy(new URL('http://proxy.local:3128'))
 * proxy({ https: 'http://proxy.local:3128', noProxy: 'localhost,.internal' })
 * proxy('env')
 */
export type ProxyTarget = ProxyUrl | ProxyRoutes | 'env';

/** One proxy per scheme of the target URL, and the hosts that go direct. */
export interface ProxyRoutes {
  /** Proxy for `http:` targets (requests are forwarded to it). @default undefined (direct) */
  http?: ProxyUrl | undefined;
  /** Proxy for `https:` targets (tunnelled with CONNECT). @default undefined (direct) */
  https?: ProxyUrl | undefined;
  /**
   * Hosts that go direct, in `NO_PROXY` form as curl reads it, or an array of entries;
   * `'*'` = everything direct.
   * @default undefined (nothing bypasses the proxy)
   * @example 'localhost,127.0.0.1,.corp.example,10.0.0.0/8,example.com:8080'
   */
  noProxy?: string | readonly string[] | undefined;
}

/** How the transport checks (and presents) TLS certificates. Server runtimes only. */
export interface TlsOptions {
  /**
   * Extra trusted CA certificate(s), PEM. They are ADDED to the runtime's trusted roots
   * (Node: its bundled roots plus `NODE_EXTRA_CA_CERTS`), so adding a company CA never
   * breaks public HTTPS. To trust only these, set `replaceRoots: true` as well.
   * @default undefined (the runtime's roots only)
   * @example { ca: readFileSync('corp-ca.pem', 'utf8') }
   */
  ca?: string | readonly string[] | undefined;
  /**
   * `true`: trust ONLY the certificates in `ca`, not the runtime's roots (a private PKI,
   * certificate pinning). Needs `ca`. Node and Bun; Deno refuses it.
   * @default false
   * @example { ca: internalRoot, replaceRoots: true }
   */
  replaceRoots?: boolean | undefined;
  /** Client certificate chain (PEM) for mutual TLS; needs `key`. @default undefined */
  cert?: string | undefined;
  /** Private key (PEM) of `cert`. @default undefined */
  key?: string | undefined;
  /**
   * `false` turns certificate verification OFF: anyone on the path can read and change
   * the traffic. Only for a test against a throwaway certificate; prefer `ca`.
   * Not available in Deno (use `ca`, or run Deno with `--unsafely-ignore-certificate-errors`).
   * @default true
   */
  rejectUnauthorized?: boolean | undefined;
}

/** The connection pool. Server runtimes only. */
export interface PoolOptions {
  /**
   * The most connections open at once per origin (Node: undici's `connections`; Deno and
   * Bun: the transport caps requests in flight per origin).
   * @default undefined (no cap: the runtime's default)
   * @example { connections: 20 }
   */
  connections?: number | undefined;
}

/** Options of `createTransport()` (and, but for `proxy`, of `proxy()`). */
export interface TransportOptions {
  /**
   * The proxy to use; `false` = always direct.
   * @default 'env'
   * @example { proxy: 'http://user:secret@proxy.local:3128' }
   */
  proxy?: ProxyTarget | false | undefined;
  /** TLS settings. @default undefined (verify against the runtime's roots) */
  tls?: TlsOptions | undefined;
  /** Connection pool. @default undefined (the runtime's pool) */
  pool?: PoolOptions | undefined;
  /**
   * Connect timeout in ms: how long to wait for a TCP (and TLS) connection to the origin,
   * or to the proxy when there is one. `ConnectTimeoutError` (as the `cause` of the
   * network `TypeError`) when it fires.
   * @default 10_000 in Node (undici's); none in Deno and Bun unless set
   * @example { connect: 3_050 }
   */
  connect?: number | undefined;
}

/** The options of `proxy()`: those of `createTransport()` but `proxy`, its first argument. */
export type ProxyLayerOptions = Omit<TransportOptions, 'proxy'>;

/** The bottom fetch of a stack, and the sockets behind it. */
export interface Transport {
  /** Sends a request with this transport's proxy, TLS and pool settings. */
  fetch: Fetch;
  /**
   * Frees every socket (in-flight requests finish first). Later calls reject with
   * `TransportClosedError`. Calling it twice is fine.
   */
  close(): Promise<void>;
  /** `await using transport = createTransport()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The layer `proxy()` makes: a middleware that owns sockets, freed by `close()`. */
export type ProxyLayer = Middleware & { close(): Promise<void> };

/** The two factories every runtime entry exports. */
export interface TransportFactories {
  /**
   * The bottom fetch of a stack: how a request leaves the process (proxy, TLS, pool, connect
   * timeout). With no options: the proxy from the environment (`'env'`), the runtime's TLS
   * roots and pool. Bad options throw a `TypeError` here; what this runtime cannot do throws
   * `ProxyUnsupportedError` here.
   *
   * @example
   * await using transport = createTransport({ proxy: 'http://127.0.0.1:3128', pool: { connections: 10 } });
   * const res = await transport.fetch('https://example.com/');
   */
  createTransport(options?: TransportOptions): Transport;
  /**
   * A layer that sends requests through a proxy. It must be the innermost layer: a request
   * that goes through the proxy is sent by this layer itself; one that goes direct
   * (`noProxy`, or a scheme with no proxy) is handed to the fetch beneath, unless `tls`,
   * `pool` or `connect` were given (then this layer sends every request). `'env'` with
   * nothing set is a layer that changes nothing. `close()` frees its sockets.
   *
   * @example
   * import { wrap } from '@fetchstack/core';
   * const f = wrap(fetch, proxy('http://user:secret@proxy.local:3128'));
   * await f('https://example.com/');
   */
  proxy(target: ProxyTarget, options?: ProxyLayerOptions): ProxyLayer;
}
