/** What a case is given: the runtime it runs in and where the test servers listen. */

export type RuntimeName = 'node' | 'deno' | 'bun' | 'chromium' | 'workerd';

/** Where the test servers listen. Filled in by the orchestrator (packages/behaviour). */
export interface ServerInfo {
  /** The project's test server, plain HTTP: `http://127.0.0.1:PORT`. */
  http: string;
  /** The same server by another host name: `http://localhost:PORT` (a different origin). */
  httpLocalhost: string;
  /** A second origin on another port of the same process: `http://127.0.0.1:PORT2`. */
  http2: string;
  /** HTTPS, leaf certificate for 127.0.0.1 and localhost signed by `ca`. */
  https: string;
  /** The same HTTPS server by another host name: `https://localhost:PORT` (a different origin). */
  httpsLocalhost: string;
  /** HTTPS that requires a client certificate signed by `ca` (`clientCert`, `clientKey`). */
  mtls: string;
  /** PEM of the throwaway CA. */
  ca: string;
  clientCert: string;
  clientKey: string;
  /** Debian's httpbin, when it is installed (`undefined` otherwise). */
  httpbin?: string | undefined;
  /** tinyproxy without auth, and with BasicAuth `user:pass` (URL includes credentials). */
  proxy?: string | undefined;
  proxyAuth?: string | undefined;
  /** A listening TCP socket on 127.0.0.1 that never accepts: for connect timeouts. */
  blackhole?: string | undefined;
}

export interface TestEnv {
  runtime: RuntimeName;
  /** `node` for Node 20/22/24 alike; the major version is here. */
  nodeMajor?: number | undefined;
  server: ServerInfo;
}
