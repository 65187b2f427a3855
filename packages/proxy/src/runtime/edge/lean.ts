// createTransport and proxy for browsers and Cloudflare Workers, kept small: the platform
// decides how a request leaves (the browser's proxy settings, Cloudflare's network), so a
// proxy, TLS, pool or connect setting cannot be honoured: each is refused when the transport
// or layer is made, never dropped. No undici, no URL parsing, and error classes without URL
// redaction (lean-errors.ts); what a network failure says about its call (method, URL without
// credentials, code) is loaded with the first failure, not with the page.
import type { Fetch } from '@fetchstack/core';
import { assertKnownKeys, assertOptionsObject } from '@fetchstack/core/internal';
import { ProxyUnsupportedError } from '../../errors/proxy-unsupported-error.js';
import type { TransportFactories, TransportOptions } from '../../types.js';
import { TransportClosedError } from './lean-transport-closed-error.js';

const known = ['proxy', 'tls', 'pool', 'connect'] as const;

// Engines without Symbol.asyncDispose: the registered symbol stands in (what the
// TypeScript helpers for `await using` look up).
const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * The two factories of a platform that routes requests itself: `runtime` and `name` for the
 * refusal (`'browser'`, `'a browser'`), `routes` for how that platform routes requests.
 */
export function refusing(runtime: string, name: string, routes: string): TransportFactories {
  const advice = {
    proxy: `it routes requests itself (${routes}). Leave the proxy out here (proxy: false), or send the request from a server runtime (Node, Deno, Bun).`,
    tls: 'it verifies certificates itself against its own roots. Leave tls out here, or install the CA in the system/browser store.',
    pool: 'it manages connections itself. Leave pool out here.',
    connect:
      'it has no connect timeout setting. Leave connect out here and use a timeout layer (@fetchstack/timeout) instead.',
  };
  const check = (options: TransportOptions | undefined, where: string): void => {
    assertOptionsObject(options, where);
    if (!options) return;
    assertKnownKeys(options, known, where);
    const refuse = (option: keyof typeof advice): never => {
      throw new ProxyUnsupportedError(
        runtime,
        option,
        `${where}: ${option} is not supported in ${name}: ${advice[option]}`,
      );
    };
    // 'env' reads the environment, which browsers and Workers do not have: nothing to route.
    const { proxy } = options;
    if (proxy !== undefined && proxy !== false && proxy !== 'env') refuse('proxy');
    if (options.tls !== undefined) refuse('tls');
    if (options.pool?.connections !== undefined) refuse('pool');
    if (options.connect !== undefined) refuse('connect');
  };
  return {
    createTransport(options) {
      check(options, 'createTransport()');
      // Captured now, so `globalThis.fetch = session` later never makes this call itself.
      const platformFetch: Fetch = globalThis.fetch.bind(globalThis);
      let closed: Promise<void> | undefined;
      const close = (): Promise<void> => (closed ??= Promise.resolve());
      return {
        fetch: function edgeTransport(input, init) {
          if (closed) return Promise.reject(new TransportClosedError(input, init));
          return platformFetch(input, init).catch((error: unknown) =>
            // A network failure says which request failed (the platform's error, kept as it
            // is); if that code cannot be loaded (offline, say), the error goes as it came.
            import('./failure.js').then(
              (m) => Promise.reject(m.explained(error, input, init)),
              () => Promise.reject(error),
            ),
          );
        },
        close,
        [asyncDispose]: close,
      };
    },
    proxy(target, options) {
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
      check({ ...options, proxy: target }, where);
      return Object.assign((next: Fetch): Fetch => next, { close: async () => {} });
    },
  };
}
