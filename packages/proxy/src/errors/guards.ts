// The guards of the error classes, apart from the classes: the browser and Workers build
// exports them without what the classes need to build their messages.
import { isErrorNamed } from '@fetchstack/core';
import type { ConnectTimeoutError, ConnectTimeoutFailure } from './connect-timeout-error.js';
import type { ProxyError } from './proxy-error.js';
import type { ProxyUnsupportedError } from './proxy-unsupported-error.js';
import type { TransportClosedError } from './transport-closed-error.js';

/** True for a `ProxyError` from any copy of this package. */
export function isProxyError(error: unknown): error is ProxyError {
  return isErrorNamed<ProxyError>(error, 'ProxyError');
}

/** True for a `ProxyUnsupportedError` from any copy of this package. */
export function isProxyUnsupportedError(error: unknown): error is ProxyUnsupportedError {
  return isErrorNamed<ProxyUnsupportedError>(error, 'ProxyUnsupportedError');
}

/** True for a `TransportClosedError` from any copy of this package. */
export function isTransportClosedError(error: unknown): error is TransportClosedError {
  return isErrorNamed<TransportClosedError>(error, 'TransportClosedError');
}

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
