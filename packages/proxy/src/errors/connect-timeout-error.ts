import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { callLabel, redactUrl } from '@fetchstack/core/internal';

/**
 * No connection to the origin (or to the proxy) within the transport's `connect` timeout.
 *
 * @example
 * try { await f(url); } catch (e) { if (isConnectTimeoutError(e)) console.log(e.ms); }
 */
export class ConnectTimeoutError extends FetchstackError {
  override name = 'ConnectTimeoutError' as const;
  /** The `connect` timeout, ms. */
  readonly ms: number;
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;
  /** `true` when the connection that timed out was to the proxy. */
  readonly toProxy: boolean;
  /** Networking code retry layers look for: the same as undici's. */
  declare readonly code: 'CONNECT_TIMEOUT';

  constructor(
    ms: number,
    input: string | URL | Request,
    init: RequestInit | undefined,
    proxy?: URL,
    options?: { cause?: unknown },
  ) {
    super(
      'CONNECT_TIMEOUT',
      `${callLabel(input, init)}: no connection to ${proxy ? `the proxy ${redactUrl(proxy)}` : 'the server'} within the connect timeout (connect: ${ms} ms); check the host and port, or raise \`connect\`.`,
      { request: { input, init }, ...options },
    );
    this.ms = ms;
    this.toProxy = proxy !== undefined;
  }
}

/**
 * True for a `ConnectTimeoutError` from any copy of this package, or for the `TypeError('fetch failed')`
 * that carries one as its `cause` (the transport rejects with that shape, as Node's fetch does,
 * so retry layers see a network error).
 */
export function isConnectTimeoutError(error: unknown): error is ConnectTimeoutError {
  const is = (e: unknown) => isErrorNamed<ConnectTimeoutError>(e, 'ConnectTimeoutError');
  return is(error) || is((error as { cause?: unknown } | null)?.cause);
}
