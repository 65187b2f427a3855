// The two factories of a server runtime, over that runtime's backend.
import type { Fetch } from '@fetchstack/core';
import { assertOptionsObject, urlOf } from '@fetchstack/core/internal';
import { proxyFor, proxyOnly, resolveOptions } from './options.js';
import { type Backend, closable } from './transport.js';
import type { ProxyLayer, TransportFactories } from './types.js';

/** `createTransport` and `proxy` for one runtime. */
export function entry(backend: Backend): TransportFactories {
  return {
    createTransport(options) {
      const where = 'createTransport()';
      const resolved = resolveOptions(options, where);
      return closable(backend.open(resolved, where));
    },
    proxy(target, options): ProxyLayer {
      const where = 'proxy()';
      assertOptionsObject(options, where);
      if (options && 'proxy' in options) {
        throw new TypeError(
          `${where}: pass the proxy as the first argument, not as options.proxy.`,
        );
      }
      if (target === undefined || target === null || (target as unknown) === false) {
        throw new TypeError(
          `${where}: a target is required: a proxy URL, { http, https, noProxy } or 'env'. To send direct, leave the layer out.`,
        );
      }
      const resolved = resolveOptions({ ...options, proxy: target }, where);
      if (!resolved.routes && proxyOnly(resolved)) {
        // 'env' with nothing set: a layer that changes nothing.
        return Object.assign((next: Fetch): Fetch => next, { close: async () => {} });
      }
      const transport = closable(backend.open(resolved, where));
      // With only a proxy configured, what goes direct is left to the fetch beneath.
      const bypassToNext = proxyOnly(resolved);
      const layer = (next: Fetch): Fetch =>
        function proxied(input, init) {
          if (bypassToNext) {
            let url: URL | undefined;
            try {
              url = urlOf(input);
            } catch {
              // Not a URL: the transport refuses it as fetch does (its message hides secrets).
            }
            if (url && !proxyFor(resolved.routes, url)) return next(input, init);
          }
          return transport.fetch(input, init);
        };
      return Object.assign(layer, { close: () => transport.close() });
    },
  };
}
