import { FetchstackError } from '@fetchstack/core';
import { callLabel, describeCall, redactUrl } from '@fetchstack/core/internal';

/**
 * No connection to the origin (or to the proxy) within the transport's `connect` timeout.
 * The transport rejects with a network `TypeError('fetch failed')` whose `cause` is this
 * error (the shape of Node's fetch, so retry layers and clients see a network error).
 *
 * @example
 * try { await f(url); } catch (e) { if (isConnectTimeoutError(e)) console.log(connectTimeoutOf(e)?.ms); }
 */
export class ConnectTimeoutError extends FetchstackError {
  override name = 'ConnectTimeoutError' as const;
  declare readonly code: 'CONNECT_TIMEOUT';
  /** The `connect` timeout, ms. */
  readonly ms: number;
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;
  /** `true` when the connection that timed out was to the proxy. */
  readonly toProxy: boolean;

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
      { at: describeCall(input, init), ...options },
    );
    this.ms = ms;
    this.toProxy = proxy !== undefined;
  }
}

/** The network `TypeError` the transport rejects with when the connect timeout fires. */
export type ConnectTimeoutFailure = TypeError & { cause: ConnectTimeoutError };
