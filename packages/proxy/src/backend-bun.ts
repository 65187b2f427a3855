// Bun: its fetch takes `proxy` (credentials in the URL go to the proxy only) and
// `tls: { ca, cert, key, rejectUnauthorized }` per call. Bun keeps one pool per process.
import type { Fetch } from '@fetchstack/core';
import { urlOf } from '@fetchstack/core/internal';
import { ConnectTimeoutError } from './errors/connect-timeout-error.js';
import { ProxyError } from './errors/proxy-error.js';
import { OriginLimiter, onBodyDone } from './limit.js';
import { proxyFor, type Resolved } from './options.js';
import { ConnectProbe, dialWith } from './probe.js';
import type { Backend } from './transport.js';

interface BunLike {
  connect(options: {
    hostname: string;
    port: number;
    socket: Record<string, (...args: any[]) => void>;
  }): Promise<{ end(): void }>;
}

export const bunBackend: Backend = {
  open(resolved: Resolved) {
    const t = resolved.tls;
    const tls = t
      ? {
          ...(t.ca ? { ca: t.ca } : {}),
          ...(t.cert ? { cert: t.cert, key: t.key } : {}),
          rejectUnauthorized: t.rejectUnauthorized,
        }
      : undefined;
    const limiter =
      resolved.connections !== undefined ? new OriginLimiter(resolved.connections) : undefined;
    const probe =
      resolved.connect !== undefined
        ? new ConnectProbe(
            resolved.connect,
            dialWith(
              (hostname, port) =>
                ((globalThis as any).Bun as BunLike).connect({
                  hostname,
                  port,
                  socket: { data() {}, open() {}, close() {}, error() {}, connectError() {} },
                }),
              (socket) => socket.end(),
            ),
          )
        : undefined;
    const routes = resolved.routes;
    // Captured at creation: `globalThis.fetch = session` later must never make
    // the transport call the session (and so itself) again.
    const platformFetch = globalThis.fetch;
    const send: Fetch = async function bunTransport(input, init) {
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
        }
      }
      const extra: Record<string, unknown> = {};
      // Bun applies HTTP_PROXY/HTTPS_PROXY from the environment by itself; `proxy: false`
      // (measured, Bun 1.4) keeps a request the transport routes direct really direct.
      extra.proxy = proxy ? proxy.href : false;
      if (tls) extra.tls = tls;
      const release = limiter
        ? await limiter.acquire(
            url.origin,
            init?.signal ?? (input instanceof Request ? input.signal : undefined),
          )
        : undefined;
      let res: Response;
      try {
        res = await platformFetch(input, { ...init, ...extra } as RequestInit);
      } catch (error) {
        release?.();
        probe?.forget(proxy ?? url);
        const m =
          proxy &&
          /Proxy refused to open a tunnel: (\d{3})/.exec(String((error as Error)?.message));
        if (proxy && m)
          throw new ProxyError(Number(m[1]), proxy, input, init, 'It refused the CONNECT tunnel.', {
            cause: error,
          });
        throw error;
      }
      if (res.status === 407 && proxy) {
        release?.();
        const why = res.headers.get('proxy-authenticate');
        await res.body?.cancel().catch(() => {});
        throw new ProxyError(407, proxy, input, init, why ? `It asked for: ${why}.` : '');
      }
      return release ? onBodyDone(res, release) : res;
    };
    return { fetch: send, close: async () => {} };
  },
};
