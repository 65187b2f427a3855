// Deno and Bun: the runtime's own fetch does the work (its pool, TLS, proxy support); the
// transport adds what the runtime lacks (a connect timeout, a per-origin cap) and says when
// the proxy refused or could not be reached.
import type { Fetch } from '@fetchstack/core';
import {
  abortable,
  abortReason,
  annotate,
  type Input,
  isBadPort,
  signalOf,
  urlOf,
} from '@fetchstack/core/internal';
import { ConnectTimeoutError } from '../errors/connect-timeout-error.js';
import { ProxyError, proxyAuthRequired } from '../errors/proxy-error.js';
import { OriginLimiter, onBodyDone } from '../limit.js';
import { proxyFor, type Resolved } from '../options.js';
import { ConnectProbe, type Dial, unreachableReason } from '../probe.js';

export interface PlatformSend {
  /** Sends one request with the runtime's fetch, through `proxy` (or direct). */
  send(
    input: Input,
    init: RequestInit | undefined,
    proxy: URL | undefined,
    url: URL,
  ): Promise<Response>;
  /** The runtime's TCP connect, for the connect timeout and to tell a proxy that is down. */
  dial: Dial;
  /** A refusal of the proxy the runtime reports as an error, as a ProxyError; else `undefined`. */
  refusal?(
    error: unknown,
    proxy: URL,
    input: Input,
    init: RequestInit | undefined,
  ): ProxyError | undefined;
  /** End a body one macrotask late, so that the runtime has pooled the socket again (Deno). */
  delayEnd?: boolean;
}

const noop = (): void => {};

export function platformFetch(resolved: Resolved, platform: PlatformSend): Fetch {
  const routes = resolved.routes;
  const limiter =
    resolved.connections !== undefined ? new OriginLimiter(resolved.connections) : undefined;
  const probe =
    resolved.connect !== undefined ? new ConnectProbe(resolved.connect, platform.dial) : undefined;
  return async function platformTransport(input, init) {
    const url = urlOf(input);
    const proxy = proxyFor(routes, url);
    // A port fetch refuses: the runtime's own fetch refuses it, before any connection
    // (the connect probe below must not dial it either).
    if (isBadPort(url)) return platform.send(input, init, undefined, url);
    if (probe) {
      const signal = signalOf(input, init);
      try {
        await abortable(probe.check(proxy ?? url), signal);
      } catch (error) {
        // The caller's abort during the check rejects at once with its reason, as fetch does.
        if (signal?.aborted) throw abortReason(signal);
        if ((error as Error).message === 'timeout') {
          throw annotate(
            new TypeError('fetch failed', {
              cause: new ConnectTimeoutError(resolved.connect as number, input, init, proxy),
            }),
            input,
            init,
          );
        }
        // Refused and the like: the runtime's own fetch reports it below.
      }
    }
    const release = limiter ? await limiter.acquire(url.origin, signalOf(input, init)) : undefined;
    let res: Response;
    try {
      res = await platform.send(input, init, proxy, url);
    } catch (error) {
      release?.();
      probe?.forget(proxy ?? url);
      if (proxy) {
        const refused = platform.refusal?.(error, proxy, input, init);
        if (refused) throw refused;
        if (!signalOf(input, init)?.aborted) {
          const reason = await unreachableReason(platform.dial, proxy);
          if (reason) {
            throw new ProxyError(0, proxy, input, init, '', { cause: error, unreachable: reason });
          }
        }
      }
      // A network failure (a TypeError, as fetch rejects with) says which request failed;
      // anything else (the caller's abort reason) is passed on untouched.
      throw error instanceof TypeError && error !== signalOf(input, init)?.reason
        ? annotate(error, input, init)
        : error;
    }
    if (res.status === 407 && proxy) {
      release?.();
      await proxyAuthRequired(res, proxy, input, init);
    }
    return release || platform.delayEnd ? onBodyDone(res, release ?? noop, platform.delayEnd) : res;
  };
}
