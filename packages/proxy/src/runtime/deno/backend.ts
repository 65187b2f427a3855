// Deno: one Deno.HttpClient per route (direct, and one per proxy URL), passed to Deno's own
// fetch as `client`. Proxy credentials go in `basicAuth`, which Deno sends to the proxy only.
import type { Input } from '@fetchstack/core/internal';
import { runtimeSeesProxy } from '../../env.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { ProxyUnsupportedError } from '../../errors/proxy-unsupported-error.js';
import type { Resolved } from '../../options.js';
import { dialWith } from '../../probe.js';
import { assertUsableTls, type TlsReader } from '../../tls-check.js';
import type { Backend } from '../../transport.js';
import { platformFetch } from '../platform.js';

interface DenoHttpClient {
  close(): void;
}
interface DenoLike {
  createHttpClient(options: Record<string, unknown>): DenoHttpClient;
  connect(options: { hostname: string; port: number }): Promise<{ close(): void }>;
}

const deno = (): DenoLike => (globalThis as { Deno?: DenoLike }).Deno as DenoLike;

export const denoBackend: Backend = {
  open(resolved: Resolved, where: string) {
    const tls = resolved.tls;
    if (tls) assertUsableTls(tls, where, denoTls);
    if (tls && !tls.rejectUnauthorized) {
      throw new ProxyUnsupportedError(
        'deno',
        'tls.rejectUnauthorized',
        `${where}: tls.rejectUnauthorized: false is not supported in Deno: Deno.createHttpClient cannot turn certificate checks off. Pass the server's CA as tls.ca instead, or run deno with --unsafely-ignore-certificate-errors=<host>.`,
      );
    }
    if (tls?.replaceRoots) {
      throw new ProxyUnsupportedError(
        'deno',
        'tls.replaceRoots',
        `${where}: tls.replaceRoots is not supported in Deno: Deno.createHttpClient always adds caCerts to Deno's root store. Leave replaceRoots out (tls.ca is added to the roots), or choose the store for the whole process with DENO_TLS_CA_STORE.`,
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
    // Deno adds caCerts to its roots (it has no way to replace them per client).
    if (tls?.ca) base.caCerts = tls.ca;
    if (tls?.cert) {
      base.cert = tls.cert;
      base.key = tls.key;
    }
    if (resolved.connections !== undefined) base.poolMaxIdlePerHost = resolved.connections;
    const clients = new Map<string, DenoHttpClient>();
    // Captured at creation: `globalThis.fetch = session` later must never make
    // the transport call the session (and so itself) again.
    const fetch = globalThis.fetch;
    // Deno applies HTTP_PROXY/HTTPS_PROXY/ALL_PROXY from the environment to a client without
    // `proxy`, and has no switch to turn that off (denoland/deno#28385). For plain http sent
    // direct, a `tcp` transport to the origin itself keeps it direct; https cannot be forced
    // (README).
    const envProxied = runtimeSeesProxy();
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
    const send = platformFetch(resolved, {
      // A call's own `client` (a `Deno.HttpClient`, which code written for Deno's fetch
      // passes) wins over the transport's, as a header set on a call does.
      send: (input, init, proxy, url) =>
        fetch(input, {
          ...init,
          client:
            (init as { client?: DenoHttpClient } | undefined)?.client ?? clientFor(proxy, url),
        } as RequestInit),
      dial: dialWith(
        (hostname, port) => deno().connect({ hostname, port }),
        (conn) => conn.close(),
      ),
      refusal,
      // Deno (like undici) puts the connection back in its pool only after the reader's
      // promise callbacks ran, so a request sent right after `await res.json()` would open a
      // second socket; ending the body one macrotask late lets it reuse the first.
      delayEnd: true,
    });
    return {
      fetch: send,
      close: async () => {
        for (const client of clients.values()) client.close();
        clients.clear();
      },
    };
  },
};

/**
 * Deno's parser of TLS material: a client made (and closed at once) with it, which throws for
 * a CA it cannot read and for a key that is not the certificate's. Deno reads a certificate
 * or a key only with the other.
 */
const denoTls: TlsReader = {
  runtime: 'Deno',
  ca: (pem) =>
    deno()
      .createHttpClient({ caCerts: [pem] })
      .close(),
  pair: (cert, key) => deno().createHttpClient({ cert, key }).close(),
};

/**
 * Deno reports a refused CONNECT as a network error, without the proxy's status (Deno 2.9:
 * "client error (Connect): unsuccessful tunnel"); it has no error code to check instead.
 */
function refusal(
  error: unknown,
  proxy: URL,
  input: Input,
  init: RequestInit | undefined,
): ProxyError | undefined {
  const e = error as { message?: unknown; cause?: { message?: unknown } } | null;
  const text = `${String(e?.message ?? '')} ${String(e?.cause?.message ?? '')}`;
  if (!text.includes('unsuccessful tunnel')) return undefined;
  return new ProxyError(0, proxy, input, init, '', { cause: error });
}
