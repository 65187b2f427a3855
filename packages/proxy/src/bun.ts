// Bun (the "bun" export condition): Bun's fetch options proxy and tls.
import type { Middleware } from '@fetchstack/core';
import { bunBackend } from './backend-bun.js';
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
  return createTransportWith(bunBackend, options);
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
  return proxyWith(bunBackend, target, options);
}
