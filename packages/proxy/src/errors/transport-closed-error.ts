import { FetchstackError } from '@fetchstack/core';
import { describeCall } from '@fetchstack/core/internal';
import { closedMessage } from './closed-message.js';

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
    super('TRANSPORT_CLOSED', closedMessage(input, init), { at: describeCall(input, init) });
  }
}
