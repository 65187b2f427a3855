// What browsers and Workers can do with this package: refuse. The platform decides how a
// request leaves (the browser's proxy settings, Cloudflare's network), so a proxy, TLS, pool
// or connect setting cannot be honoured: each is refused when the transport or layer is made,
// never dropped. The messages name no proxy URL, so nothing in them needs redacting.
import type { Fetch } from '@fetchstack/core';
import { assertKnownKeys, assertOptionsObject } from '@fetchstack/core/internal';
import { ProxyUnsupportedError } from '../../errors/proxy-unsupported-error.js';
import type { Transport, TransportFactories, TransportOptions } from '../../types.js';

/** The options, in the order they are looked at. */
const known = ['proxy', 'tls', 'pool', 'connect'] as const;
/** What each option would need that the platform does itself, in the same order. */
const itself = [
  "'s own proxy settings apply",
  ' checks certificates itself',
  ' manages connections itself',
  ' sets its own connect timeout',
];

/**
 * `createTransport` and `proxy` for a runtime that can only refuse: `runtime` as
 * `ProxyUnsupportedError.runtime` says it, `place` and `platform` as the message says them
 * (`'a browser'`, `'the browser'`), `open` making the transport of the platform's fetch.
 */
export function refusing(
  runtime: string,
  place: string,
  platform: string,
  open: (platformFetch: Fetch) => Transport,
): TransportFactories {
  const check = (options: TransportOptions | undefined, where: string): void => {
    assertOptionsObject(options, where);
    if (!options) return;
    assertKnownKeys(options, known, where);
    // 'env' reads the environment, which browsers and Workers do not have: no proxy is named.
    const { proxy } = options;
    const i: number =
      proxy !== undefined && proxy !== false && proxy !== 'env'
        ? 0
        : options.tls !== undefined
          ? 1
          : options.pool?.connections !== undefined
            ? 2
            : options.connect !== undefined
              ? 3
              : -1;
    const option = known[i];
    if (option) {
      throw new ProxyUnsupportedError(
        runtime,
        option,
        `${where}: ${option} cannot be set in ${place}: ${platform}${itself[i]}. Leave ${option} out${i ? '' : " (or use 'env')"}.`,
      );
    }
  };
  return {
    createTransport(options) {
      check(options, 'createTransport()');
      // Captured now, so `globalThis.fetch = session` later never makes this call itself.
      return open(globalThis.fetch.bind(globalThis));
    },
    proxy(target, options) {
      const where = 'proxy()';
      if (target == null || (target as unknown) === false) {
        throw new TypeError(
          `${where}: a target is required: a proxy URL, { http, https, noProxy } or 'env'. To send direct, leave the layer out.`,
        );
      }
      assertOptionsObject(options, where);
      if (options && 'proxy' in options) {
        throw new TypeError(
          `${where}: pass the proxy as the first argument, not as options.proxy.`,
        );
      }
      check({ ...options, proxy: target }, where);
      // 'env' (nothing else gets here): a layer that changes nothing.
      return Object.assign((next: Fetch): Fetch => next, { close: async () => {} });
    },
  };
}
