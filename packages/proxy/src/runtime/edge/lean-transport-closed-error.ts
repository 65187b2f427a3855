// TransportClosedError of the browser and Workers builds: a call after close().
import { FetchstackError } from '@fetchstack/core';
import type * as full from '../../exports.js';
import { at, guard, type Input, label } from './lean-call.js';

export const TransportClosedError: typeof full.TransportClosedError = class TransportClosedError extends FetchstackError {
  override name = 'TransportClosedError' as const;
  declare readonly method: string;
  declare readonly url: string;
  constructor(input: Input, init?: RequestInit) {
    const call = at(input, init);
    super(
      'TRANSPORT_CLOSED',
      `${label(call)}: this transport was closed (close() was called), so it has no sockets left; create a new one.`,
      { at: call },
    );
  }
};
export type TransportClosedError = full.TransportClosedError;
export const isTransportClosedError: typeof full.isTransportClosedError =
  guard('TransportClosedError');
