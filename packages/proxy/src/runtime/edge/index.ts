// The types of the browser and Workers builds ("browser", "workerd": ../browser, ../workerd),
// and the refusal of a runtime that is none of those the package knows (../default): the
// platform decides how a request leaves, so a proxy, TLS, pool or connect setting is refused
// when the transport or layer is made, never dropped. No undici, no option parsing.
import type { Fetch } from '@fetchstack/core';
import { abortOf, annotate, runtime } from '@fetchstack/core/internal';
import { closable } from '../../transport.js';
import type { TransportFactories } from '../../types.js';
import { refusing } from './refuse.js';

export * from '../../exports.js';

const factories: TransportFactories = refusing(
  runtime,
  `this runtime (${runtime})`,
  'the runtime',
  (platformFetch: Fetch) =>
    closable({
      fetch: async function edgeTransport(input, init) {
        try {
          return await platformFetch(input, init);
        } catch (error) {
          // A network failure says which request failed (the platform's error, kept as it is);
          // the caller's abort reason is passed on untouched.
          throw error === abortOf(input, init)?.reason ? error : annotate(error, input, init);
        }
      },
      close: async () => {},
    }),
);

/**
 * The bottom fetch of a stack: how a request leaves the process (proxy, TLS, pool, connect
 * timeout). Browsers and Workers decide these themselves: a proxy, `tls`, `pool` or `connect`
 * throws `ProxyUnsupportedError` here; with none, this is the platform's fetch.
 *
 * @example
 * const transport = createTransport(); // the platform's fetch
 * const res = await transport.fetch('https://example.com/');
 */
export const createTransport: TransportFactories['createTransport'] = factories.createTransport;

/**
 * A layer that sends requests through a proxy (the innermost layer of a stack). Browsers and Workers
 * route requests themselves: any proxy is refused with `ProxyUnsupportedError`; `'env'` is a no-op.
 *
 * @example
 * const f = wrap(fetch, proxy('env')); // hands back fetch unchanged here
 */
export const proxy: TransportFactories['proxy'] = factories.proxy;
