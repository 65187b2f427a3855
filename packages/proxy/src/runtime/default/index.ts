// The "default" condition (a bundler or runtime that set none of the others): Deno and Bun
// are recognised by feature detection; anything else gets the refusal of browsers and Workers.
// Node always sets "node", so undici never loads from here.

import { runtime } from '@fetchstack/core/internal';
import { entry } from '../../entry.js';
import type { TransportFactories } from '../../types.js';
import { bunBackend } from '../bun/backend.js';
import { denoBackend } from '../deno/backend.js';
import * as edge from '../edge/index.js';

export * from '../../exports.js';

const factories: TransportFactories =
  runtime === 'deno' ? entry(denoBackend) : runtime === 'bun' ? entry(bunBackend) : edge;

/**
 * The bottom fetch of a stack: how a request leaves the process (proxy, TLS, pool, connect
 * timeout). With no options: the proxy from the environment (`'env'`). Bad options throw a
 * `TypeError` here; what this runtime cannot do throws `ProxyUnsupportedError` here.
 *
 * @example
 * await using transport = createTransport({ proxy: 'http://127.0.0.1:3128', tls: { ca } });
 * const res = await transport.fetch('https://example.com/');
 */
export const createTransport: TransportFactories['createTransport'] = factories.createTransport;

/**
 * A layer that sends requests through a proxy (the innermost layer of a stack): a proxy URL
 * (string or `URL`), `{ http, https, noProxy }` or `'env'`. `close()` frees its sockets.
 *
 * @example
 * const f = wrap(fetch, proxy('http://user:secret@proxy.local:3128'));
 */
export const proxy: TransportFactories['proxy'] = factories.proxy;
