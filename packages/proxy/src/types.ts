import type { Fetch } from '@fetchstack/core';

/**
 * Where requests go through a proxy:
 * - a URL string (`'http://user:pass@proxy.local:3128'`): every request, http and https;
 * - `{ http, https, noProxy }`: one proxy per scheme of the target URL, and hosts that go direct;
 * - `'env'`: `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` (either case), read once, when the
 *   transport is created. Nothing set = direct.
 *
 * Credentials in a proxy URL go to the proxy only (`Proxy-Authorization`), never to the origin.
 *
 * @example
 * proxy('http://127.0.0.1:3128')
 * proxy({ https: 'http://proxy.local:3128', noProxy: 'localhost,.internal' })
 * proxy('env')
 */
export type ProxyTarget =
  | string
  | {
      /** Proxy for `http:` targets. @default undefined (direct) */
      http?: string;
      /** Proxy for `https:` targets (tunnelled with CONNECT). @default undefined (direct) */
      https?: string;
      /**
       * Hosts that go direct, in `NO_PROXY` form as curl reads it: `'localhost,.internal,10.0.0.1,example.com:8080'`,
       * or an array of entries; `'*'` = everything direct.
       * @default undefined (nothing bypasses the proxy)
       * @example 'localhost,127.0.0.1,.corp.example'
       */
      noProxy?: string | string[];
    }
  | 'env';

/** How the transport checks (and presents) TLS certificates. Server runtimes only. */
export interface TlsOptions {
  /**
   * Extra trusted CA certificates (PEM), added to the runtime's default roots.
   * @default undefined (the runtime's roots only)
   * @example { ca: readFileSync('corp-ca.pem', 'utf8') }
   */
  ca?: string | string[];
  /** Client certificate chain (PEM) for mutual TLS; needs `key`. @default undefined */
  cert?: string;
  /** Private key (PEM) of `cert`. @default undefined */
  key?: string;
  /**
   * `false` turns certificate verification OFF: anyone on the path can read and change
   * the traffic. Only for a test against a throwaway certificate; prefer `ca`.
   * Not available in Deno (use `ca`, or run Deno with `--unsafely-ignore-certificate-errors`).
   * @default true
   */
  rejectUnauthorized?: boolean;
}

/** Options of `createTransport()` (and, but for `proxy`, of `proxy()`). */
export interface TransportOptions {
  /**
   * The proxy to use; `false` = always direct.
   * @default 'env'
   * @example { proxy: 'http://user:secret@proxy.local:3128' }
   */
  proxy?: ProxyTarget | false;
  /** TLS settings. @default undefined (verify against the runtime's roots) */
  tls?: TlsOptions;
  /**
   * Connection pool. `connections`: the most sockets open at once per origin (Node, Bun:
   * a hard cap; Deno: the most *idle* sockets kept per host).
   * @default { connections: undefined } (no cap: the runtime's default)
   * @example { pool: { connections: 20 } }
   */
  pool?: { connections?: number };
  /**
   * Connect timeout in ms: how long to wait for a TCP (and TLS) connection to the origin,
   * or to the proxy when there is one. `ConnectTimeoutError` when it fires.
   * @default 10_000 in Node (undici's); none in Deno and Bun unless set
   * @example { connect: 3_050 }
   */
  connect?: number;
}

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
