import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { callLabel, describeCall } from '@fetchstack/core/internal';

/**
 * A call on a transport (or session) after `close()`.
 *
 * @example
 * await transport.close();
 * await transport.fetch(url).catch((e) => isTransportClosedError(e)); // true
 */
export class TransportClosedError extends FetchstackError {
  override name = 'TransportClosedError' as const;
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  constructor(input: string | URL | Request, init?: RequestInit) {
    super(
      'TRANSPORT_CLOSED',
      `${callLabel(input, init)}: this transport was closed (close() was called), so it has no sockets left; create a new one.`,
      { at: describeCall(input, init) },
    );
  }
}

/** True for a `TransportClosedError` from any copy of this package. */
export function isTransportClosedError(error: unknown): error is TransportClosedError {
  return isErrorNamed<TransportClosedError>(error, 'TransportClosedError');
}
