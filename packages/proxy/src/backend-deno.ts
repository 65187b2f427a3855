// Deno: one Deno.HttpClient per route (direct, and one per proxy URL), passed to fetch as
// `client`. Proxy credentials go in `basicAuth`, which Deno sends to the proxy only.
import type { Fetch } from '@fetchstack/core';
import { urlOf } from '@fetchstack/core/internal';
import { proxyEnv } from './env.js';
import { ConnectTimeoutError } from './errors/connect-timeout-error.js';
import { ProxyError } from './errors/proxy-error.js';
import { ProxyUnsupportedError } from './errors/proxy-unsupported-error.js';
import { OriginLimiter, onBodyDone } from './limit.js';
import { proxyFor, type Resolved } from './options.js';
import { ConnectProbe, dialWith } from './probe.js';
import type { Backend } from './transport.js';

interface DenoHttpClient {
  close(): void;
}
interface DenoLike {
  createHttpClient(options: Record<string, unknown>): DenoHttpClient;
  connect(options: { hostname: string; port: number }): Promise<{ close(): void }>;
}

const noop = (): void => {};
const deno = (): DenoLike => (globalThis as any).Deno as DenoLike;

export const denoBackend: Backend = {
  open(resolved: Resolved, where: string) {
    const tls = resolved.tls;
    if (tls && !tls.rejectUnauthorized) {
      throw new ProxyUnsupportedError(
        'deno',
        'tls.rejectUnauthorized',
        `${where}: tls.rejectUnauthorized: false is not supported in Deno: Deno.createHttpClient cannot turn certificate checks off. Pass the server's CA as tls.ca instead, or run deno with --unsafely-ignore-certificate-errors=<host>.`,
      );
    }
    const leaky = resolved.routes?.https?.username;
    if (leaky) {
      // Deno 2.9 sends the proxy's Proxy-Authorization inside the CONNECT tunnel too, so the
      // origin receives the proxy password (measured against tinyproxy). Refuse rather than leak.
      throw new ProxyUnsupportedError(
        'deno',
        'proxy',
        `${where}: an https proxy route with credentials in its URL is not supported in Deno: Deno.createHttpClient also sends Proxy-Authorization to the origin inside the CONNECT tunnel, which would leak the proxy password. Use a proxy that needs no credentials (an allow-list), or Node or Bun.`,
      );
    }
    const base: Record<string, unknown> = {};
    if (tls?.ca) base.caCerts = tls.ca;
    if (tls?.cert) {
      base.cert = tls.cert;
      base.key = tls.key;
    }
    if (resolved.connections !== undefined) base.poolMaxIdlePerHost = resolved.connections;
    const clients = new Map<string, DenoHttpClient>();
    // Captured at creation: `globalThis.fetch = session` later must never make
    // the transport call the session (and so itself) again.
    const platformFetch = globalThis.fetch;
    // Deno applies HTTP_PROXY/HTTPS_PROXY from the environment to a client without `proxy`, and
    // has no switch to turn that off (denoland/deno#28385). For plain http sent direct, a `tcp`
    // transport to the origin itself keeps it direct; https cannot be forced (README).
    const envProxied = Object.keys(proxyEnv()).some((k) => k !== 'noProxy');
    const clientFor = (proxy: URL | undefined, url: URL): DenoHttpClient => {
      const directTcp = !proxy && envProxied && url.protocol === 'http:';
      const key = proxy?.href ?? (directTcp ? `direct ${url.host}` : 'direct');
      let client = clients.get(key);
      if (!client) {
        const options = { ...base };
        if (directTcp) {
          options.proxy = {
            transport: 'tcp',
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            port: Number(url.port || 80),
          };
        } else if (proxy) {
          options.proxy = {
            url: `${proxy.protocol}//${proxy.host}`,
            ...(proxy.username
              ? {
                  basicAuth: {
                    username: decodeURIComponent(proxy.username),
                    password: decodeURIComponent(proxy.password),
                  },
                }
              : {}),
          };
        }
        client = deno().createHttpClient(options);
        clients.set(key, client);
      }
      return client;
    };
    const limiter =
      resolved.connections !== undefined ? new OriginLimiter(resolved.connections) : undefined;
    const probe =
      resolved.connect !== undefined
        ? new ConnectProbe(
            resolved.connect,
            dialWith(
              (hostname, port) => deno().connect({ hostname, port }),
              (conn) => conn.close(),
            ),
          )
        : undefined;
    const routes = resolved.routes;

    const send: Fetch = async function denoTransport(input, init) {
      const url = urlOf(input);
      const proxy = proxyFor(routes, url);
      if (probe) {
        try {
          await probe.check(proxy ?? url);
        } catch (error) {
          if ((error as Error).message === 'timeout') {
            throw new TypeError('fetch failed', {
              cause: new ConnectTimeoutError(resolved.connect!, input, init, proxy),
            });
          }
          // Refused and the like: the runtime's own fetch reports it below.
        }
      }
      const release = limiter
        ? await limiter.acquire(
            url.origin,
            init?.signal ?? (input instanceof Request ? input.signal : undefined),
          )
        : undefined;
      let res: Response;
      try {
        res = await platformFetch(input, { ...init, client: clientFor(proxy, url) } as RequestInit);
      } catch (error) {
        release?.();
        probe?.forget(proxy ?? url);
        throw proxy ? proxyRefusal(error, proxy, input, init) : error;
      }
      if (res.status === 407 && proxy) {
        release?.();
        const why = res.headers.get('proxy-authenticate');
        await res.body?.cancel().catch(() => {});
        throw new ProxyError(407, proxy, input, init, why ? `It asked for: ${why}.` : '');
      }
      return onBodyDone(res, release ?? noop, true);
    };
    return {
      fetch: send,
      close: async () => {
        for (const client of clients.values()) client.close();
        clients.clear();
      },
    };
  },
};

/** Deno reports a refused CONNECT as a network error; say it was the proxy. */
function proxyRefusal(
  error: unknown,
  proxy: URL,
  input: string | URL | Request,
  init: RequestInit | undefined,
): unknown {
  const text = String((error as any)?.message ?? '') + String((error as any)?.cause?.message ?? '');
  // Deno 2.9: "client error (Connect): unsuccessful tunnel", without the proxy's status.
  if (!/unsuccessful tunnel/i.test(text)) return error;
  return new ProxyError(0, proxy, input, init, '', { cause: error });
}
