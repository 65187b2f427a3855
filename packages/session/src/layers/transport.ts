// The bottom of every stack: how a request leaves the process. A transport from
// @fetchstack/proxy when a proxy, TLS, pool or connect setting applies (it owns sockets the
// session frees on close); else the fetch beneath (the platform's, captured when the session
// was made, or the `fetch` option). `init.fetchstack` stops here: the platform never sees it.

import type { Fetch } from '@fetchstack/core';
import { readsLazyAbort, runtime } from '@fetchstack/core/internal';
import { createTransport, type TransportOptions } from '@fetchstack/proxy';
import { asOption, fetchMarkKey, type Layer, later, layer, type StackSite } from './layer.js';
import { readTimeout, type TimeoutLayerOptions } from './timeout.js';

/** A proxy URL (string or `URL`), `{ http, https, noProxy }`, `'env'`, or `false` for none. */
export type ProxyOption = TransportOptions['proxy'];

export interface TransportLayerOptions {
  /**
   * A proxy URL (a string or a `URL`), `{ http, https, noProxy }`, `'env'` (`HTTP_PROXY`,
   * `HTTPS_PROXY`, `NO_PROXY`, either case) or `false`. Credentials in a proxy URL go to the
   * proxy only. Browsers and Workers cannot use a proxy: a proxy URL or `{ http, https }`
   * throws `ProxyUnsupportedError` there, when the session is made (`'env'` finds no
   * environment there, so it means none).
   * @default 'env' on Node, Deno and Bun; none in browsers and Workers
   * @example createSession({ proxy: new URL('http://proxy.local:3128') })
   */
  proxy?: ProxyOption;
  /**
   * TLS settings for HTTPS (servers only): `{ ca, cert, key, rejectUnauthorized, replaceRoots }`.
   * `ca` adds to the runtime's trusted roots; `replaceRoots: true` trusts only `ca`.
   * @default undefined (the runtime's roots, verification on)
   * @example createSession({ tls: { ca: readFileSync('corp-ca.pem', 'utf8') } })
   */
  tls?: TransportOptions['tls'] | undefined;
  /**
   * Connection pool (servers only): `{ connections }`, the most sockets per origin.
   * @default undefined (the runtime's pool)
   * @example createSession({ pool: { connections: 20 } })
   */
  pool?: TransportOptions['pool'] | undefined;
}

/** What a transport is made from. */
export interface TransportSettings {
  proxy: ProxyOption;
  tls: TransportOptions['tls'] | undefined;
  pool: TransportOptions['pool'] | undefined;
  connect: number | undefined;
}

/** What the session keeps of a transport: its fetch, and how to free its sockets. */
export interface Transport {
  fetch: Fetch;
  close(): Promise<void>;
}

/** Proxies are a server thing: the default follows the environment there, and is off elsewhere. */
export const serverRuntime = runtime === 'node' || runtime === 'deno' || runtime === 'bun';

/** Whether `settings` need a transport of their own (else the fetch beneath serves). */
export function needsTransport(settings: TransportSettings): boolean {
  const { proxy, tls, pool, connect } = settings;
  return (
    (proxy !== undefined && proxy !== false) ||
    tls !== undefined ||
    pool !== undefined ||
    connect !== undefined
  );
}

/** Makes a transport for `settings`. Bad settings throw a `TypeError` naming `where`. */
export function openTransport(settings: TransportSettings, where: string): Transport {
  // Always say which proxy: left out, createTransport would read the environment.
  const options: TransportOptions = { proxy: settings.proxy ?? false };
  if (settings.tls !== undefined) options.tls = settings.tls;
  if (settings.pool !== undefined) options.pool = settings.pool;
  if (settings.connect !== undefined) options.connect = settings.connect;
  const transport = asOption(where, '', () => createTransport(options));
  return { fetch: transport.fetch, close: () => transport.close() };
}

const transportKeys = ['proxy', 'tls', 'pool'] as const;

/**
 * The fetch beneath (no transport of ours), its failures annotated, `init.fetchstack` removed.
 * A fetch of yours (the `fetch` option) gets each call marked as the session's (`mark`); the
 * platform's, captured when the session was made, never calls the session.
 */
const direct = (site: StackSite) => {
  const mark = site.session.fetch
    ? { key: fetchMarkKey, value: site.session.fetchMark }
    : undefined;
  return later(
    (code) => (next) => code.withoutOverrides(code.annotated(next), false, mark, site.session),
  );
};

export const transportLayer: Layer<TransportLayerOptions & TimeoutLayerOptions, true, false> =
  layer({
    name: 'transport',
    options: [...transportKeys],
    reads: ['timeout'],
    mount: true,
    perCall: false,
    build(values: TransportLayerOptions & TimeoutLayerOptions, site) {
      const { connect } = readTimeout(values.timeout, site.where);
      const changed = transportKeys.some((key) => site.own.has(key)) || connect !== undefined;
      if (site.level === 'mount' && !changed) return site.inherited;
      if (site.session.fetch) {
        const set = (key: (typeof transportKeys)[number]) =>
          site.own.has(key) && values[key] !== undefined && values[key] !== false;
        if (transportKeys.some(set) || connect !== undefined) {
          throw new TypeError(
            `${site.where}: "fetch" replaces the transport, so it cannot be combined with "proxy", "tls", "pool" or "timeout.connect". Configure those on the fetch you pass, or leave "fetch" out.`,
          );
        }
        return direct(site);
      }
      const settings: TransportSettings = {
        proxy: values.proxy ?? (serverRuntime ? 'env' : undefined),
        tls: values.tls,
        pool: values.pool,
        connect,
      };
      if (!needsTransport(settings)) return direct(site);
      const transport = site.session.transport(settings, site.where);
      const readsContext =
        (transport.fetch as { [readsLazyAbort]?: unknown })[readsLazyAbort] === true;
      return later(
        (code) => () =>
          code.withoutOverrides(transport.fetch, readsContext, undefined, site.session),
      );
    },
  });
