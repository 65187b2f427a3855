import { callLabel, describeCall, hasErrorName } from '@fetchstack/core/internal';

/**
 * A call on a transport (or session) after `close()`.
 *
 * @example
 * await transport.close();
 * await transport.fetch(url).catch((e) => isTransportClosedError(e)); // true
 */
export class TransportClosedError extends Error {
  override name = 'TransportClosedError' as const;
  readonly method: string;
  /** The request's URL, credentials removed. */
  readonly url: string;

  constructor(input: string | URL | Request, init?: RequestInit) {
    super(
      `${callLabel(input, init)}: this transport was closed (close() was called), so it has no sockets left; create a new one.`,
    );
    const { method, url } = describeCall(input, init);
    this.method = method;
    this.url = url;
  }
}

/** True for a `TransportClosedError` from any copy of this package. */
export function isTransportClosedError(error: unknown): error is TransportClosedError {
  return error instanceof TransportClosedError || hasErrorName(error, 'TransportClosedError');
}
