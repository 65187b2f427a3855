// The default entry, and the one whose types every condition shares.
import type { Middleware } from '@fetchstack/core';
import { runtime } from '@fetchstack/core/internal';
import { bunBackend } from './backend-bun.js';
import { denoBackend } from './backend-deno.js';
import { edgeBackend } from './edge.js';
import type { Backend } from './transport.js';

// The "default" condition (a bundler or runtime that set none of the others): pick by
// feature detection. Node always sets "node", so undici never loads from here.
const detected: Backend =
  runtime === 'deno' ? denoBackend : runtime === 'bun' ? bunBackend : edgeBackend;

import { createTransportWith, proxyWith } from './transport.js';
import type { ProxyTarget, Transport, TransportOptions } from './types.js';

export * from './common.js';

/**
 * The bottom fetch of a stack: how a request leaves the process (proxy, TLS, pool, connect
 * timeout). With no options: the proxy from the environment (`'env'`), the runtime's TLS roots
 * and pool. Bad options throw a `TypeError` here; what this runtime cannot do throws
 * `ProxyUnsupportedError` here.
 *
 * @example
 * await using transport = createTransport({ proxy: 'http://127.0.0.1:3128', pool: { connections: 10 } });
 * const res = await transport.fetch('https://example.com/');
 */
export function createTransport(options?: TransportOptions): Transport {
  return createTransportWith(detected, options);
}

/**
 * A layer that sends requests through a proxy. It must be the innermost layer: a request
 * that goes through the proxy is sent by this layer itself; one that goes direct (`noProxy`,
 * or a scheme with no proxy) is handed to the fetch beneath, unless `tls`, `pool` or
 * `connect` were given (then this layer sends every request). `'env'` with nothing set is
 * a layer that changes nothing. `close()` frees its sockets.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * const f = wrap(fetch, proxy('http://user:secret@proxy.local:3128'));
 * await f('https://example.com/');
 */
export function proxy(
  target: ProxyTarget,
  options?: Omit<TransportOptions, 'proxy'>,
): Middleware & { close(): Promise<void> } {
  return proxyWith(detected, target, options);
}
