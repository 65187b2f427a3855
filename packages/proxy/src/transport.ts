// What every runtime's transport shares: the closed state. Kept apart from option parsing
// so that the browser/Workers refusal entry stays small.
import type { Fetch } from '@fetchstack/core';
import { readsLazyAbort } from '@fetchstack/core/internal';
import { asyncDispose } from './dispose.js';
import { TransportClosedError } from './errors/transport-closed-error.js';
import type { Resolved } from './options.js';
import type { Transport } from './types.js';

export { asyncDispose };

/** What a runtime's backend opens: its fetch, and how to free its sockets. */
export interface Opened {
  fetch: Fetch;
  close(): Promise<void>;
}

/** How one runtime sends requests: opened once per transport, from checked options. */
export interface Backend {
  /** Opens the runtime's client(s). Throws `ProxyUnsupportedError` for what the runtime cannot do. */
  open(resolved: Resolved, where: string): Opened;
}

/** A `Transport` over what a backend opened: calls after `close()` reject clearly. */
export function closable(inner: Opened): Transport {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= inner.close();
    return closing;
  };
  const fetch: Fetch = function transportFetch(input, init) {
    if (closing) return Promise.reject(new TransportClosedError(input, init));
    return inner.fetch(input, init);
  };
  // Whether the backend takes a call's abort from its context (the Node one does).
  type Marked = { [readsLazyAbort]?: boolean | undefined };
  (fetch as Marked)[readsLazyAbort] = (inner.fetch as Marked)[readsLazyAbort];
  return { fetch, close, [asyncDispose]: close };
}
