import { FetchstackError, isErrorNamed } from '@fetchstack/core';
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

/**
 * True for a `ConnectTimeoutError` from any copy of this package, and for the network
 * `TypeError('fetch failed')` that carries one as its `cause` (what the transport rejects with).
 */
export function isConnectTimeoutError(
  error: unknown,
): error is ConnectTimeoutError | ConnectTimeoutFailure {
  return connectTimeoutOf(error) !== undefined;
}

/** The `ConnectTimeoutError` itself: `error`, or its `cause`; `undefined` for anything else. */
export function connectTimeoutOf(error: unknown): ConnectTimeoutError | undefined {
  const is = (e: unknown) => isErrorNamed<ConnectTimeoutError>(e, 'ConnectTimeoutError');
  if (is(error)) return error as ConnectTimeoutError;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return is(cause) ? (cause as ConnectTimeoutError) : undefined;
}
