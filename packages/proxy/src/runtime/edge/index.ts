// Browsers and Cloudflare Workers ("browser", "workerd"): the platform decides how a request
// leaves (the browser's proxy settings, Cloudflare's network), so a proxy, TLS, pool or
// connect setting cannot be honoured: each is refused when the transport or layer is made,
// never dropped. Nothing else is loaded here: no undici, no option parsing.
import type { Fetch } from '@fetchstack/core';
import {
  abortOf,
  annotate,
  assertKnownKeys,
  assertOptionsObject,
  runtime,
} from '@fetchstack/core/internal';
import { ProxyUnsupportedError } from '../../errors/proxy-unsupported-error.js';
import { closable } from '../../transport.js';
import type { TransportFactories, TransportOptions } from '../../types.js';

export * from '../../exports.js';

const advice = {
  proxy:
    "it routes requests itself (browser: the system or browser proxy settings; Workers: Cloudflare's network). Leave the proxy out here (proxy: false), or send the request from a server runtime (Node, Deno, Bun).",
  tls: 'it verifies certificates itself against its own roots. Leave tls out here, or install the CA in the system/browser store.',
  pool: 'it manages connections itself. Leave pool out here.',
  connect:
    'it has no connect timeout setting. Leave connect out here and use a timeout layer (@fetchstack/timeout) instead.',
};

function refuseWhatCannotBeDone(options: TransportOptions | undefined, where: string): void {
  assertOptionsObject(options, where);
  if (!options) return;
  assertKnownKeys(options, ['proxy', 'tls', 'pool', 'connect'], where);
  const name =
    runtime === 'workerd'
      ? 'Cloudflare Workers (workerd)'
      : runtime === 'browser'
        ? 'a browser'
        : `this runtime (${runtime})`;
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
}

const factories: TransportFactories = {
  createTransport(options) {
    refuseWhatCannotBeDone(options, 'createTransport()');
    // Captured now, so `globalThis.fetch = session` later never makes this call itself.
    const platformFetch: Fetch = globalThis.fetch.bind(globalThis);
    return closable({
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
    });
  },
  proxy(target, options) {
    const where = 'proxy()';
    if (target === undefined || target === null || (target as unknown) === false) {
      throw new TypeError(
        `${where}: a target is required: a proxy URL, { http, https, noProxy } or 'env'. To send direct, leave the layer out.`,
      );
    }
    if (options && 'proxy' in options) {
      throw new TypeError(`${where}: pass the proxy as the first argument, not as options.proxy.`);
    }
    refuseWhatCannotBeDone({ ...options, proxy: target }, where);
    return Object.assign((next: Fetch): Fetch => next, { close: async () => {} });
  },
};

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
