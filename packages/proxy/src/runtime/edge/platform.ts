// The transport of browsers and Workers: the platform's fetch, and a closed state.
import type { Fetch } from '@fetchstack/core';
import { asyncDispose } from '../../dispose.js';
import type { Transport } from '../../types.js';
import { TransportClosedError } from './errors.js';
import type { MadeFromMessage } from './late.js';

// Describing a request is loaded when a call fails or comes after close() (see late.ts).
const late = () => import('./late.js');

/** A `Transport` over the platform's fetch: calls after `close()` reject clearly. */
export function platformTransport(platformFetch: Fetch): Transport {
  let closed: true | undefined;
  const close = async (): Promise<void> => {
    closed = true;
  };
  return {
    fetch: (input, init) =>
      closed
        ? late().then((m) => {
            // This build's class is made from a message (errors.ts); its type is the server's.
            throw m.closed(TransportClosedError as unknown as MadeFromMessage, input, init);
          })
        : platformFetch(input, init).catch((error: unknown) => {
            // The caller's abort reason is passed on untouched: at once when it came in `init`
            // (as a session passes it), else once late.ts has told it from a failure.
            if (error === init?.signal?.reason) throw error;
            // A network failure says which request failed. Should that module not load (the
            // network is down), the platform's error as it is.
            return late().then(
              (m) => {
                throw m.explain(error, input, init);
              },
              () => {
                throw error;
              },
            );
          }),
    close,
    [asyncDispose]: close,
  };
}
