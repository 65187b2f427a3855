import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { callLabel, redactUrl } from '@fetchstack/core/internal';

/**
 * The proxy refused the request: it answered 407 (authentication required or wrong
 * credentials; tinyproxy says 401) or refused the CONNECT tunnel (403: port not allowed, ...). The proxy
 * URL in the message has its password removed.
 *
 * @example
 * try { await f(url); } catch (e) { if (isProxyError(e)) console.log(e.status, e.proxy); }
 */
export class ProxyError extends FetchstackError {
  override name = 'ProxyError' as const;
  /** What the proxy answered (407, 403, ...), or 0 when the runtime does not say (Deno). */
  readonly status: number;
  /** The proxy's URL, credentials removed. */
  readonly proxy: string;
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  constructor(
    status: number,
    proxy: URL,
    input: string | URL | Request,
    init: RequestInit | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    const p = redactUrl(proxy);
    const why =
      status === 407 || status === 401
        ? proxy.username
          ? `the proxy rejected the credentials in the proxy URL (${status})`
          : `the proxy requires authentication (${status}): put user:password in the proxy URL`
        : status === 0
          ? 'the proxy refused the CONNECT tunnel (the runtime does not say with which status; with credentials in the proxy URL, check them)'
          : `the proxy refused with ${status}`;
    super(
      'PROXY_REFUSED',
      `${callLabel(input, init)}: ${why}. Proxy: ${p}.${detail ? ` ${detail}` : ''}`,
      {
        request: { input, init },
        ...options,
      },
    );
    this.status = status;
    this.proxy = p;
  }
}

/** True for a `ProxyError` from any copy of this package. */
export function isProxyError(error: unknown): error is ProxyError {
  return isErrorNamed<ProxyError>(error, 'ProxyError');
}
