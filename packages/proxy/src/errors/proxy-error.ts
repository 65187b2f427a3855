import { FetchstackError } from '@fetchstack/core';
import { callLabel, describeCall, redactErrorText, redactUrl } from '@fetchstack/core/internal';

/**
 * The proxy refused the request, or could not be reached.
 * - `code: 'PROXY_REFUSED'`: it answered 407 (authentication required or wrong credentials;
 *   tinyproxy says 401) or refused the CONNECT tunnel (403: port not allowed, 502, ...).
 * - `code: 'PROXY_UNREACHABLE'`: no connection to the proxy (refused, unknown host, reset);
 *   `cause` is the runtime's error and `reason` its code (`'ECONNREFUSED'`, ...).
 *
 * The proxy URL in the message has its password removed.
 *
 * @example
 * try { await f(url); } catch (e) { if (isProxyError(e)) console.log(e.code, e.status, e.proxy); }
 */
export class ProxyError extends FetchstackError {
  override name = 'ProxyError' as const;
  declare readonly code: 'PROXY_REFUSED' | 'PROXY_UNREACHABLE';
  /** What the proxy answered (407, 403, ...), or 0 when it did not answer or the runtime does not say. */
  readonly status: number;
  /** The proxy's URL, credentials removed. */
  readonly proxy: string;
  /** For `PROXY_UNREACHABLE`: the runtime's code for the failure (`'ECONNREFUSED'`, ...), when it gives one. */
  readonly reason: string | undefined;
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  constructor(
    status: number,
    proxy: URL,
    input: string | URL | Request,
    init: RequestInit | undefined,
    detail: string,
    options?: { cause?: unknown; unreachable?: string | true },
  ) {
    const p = redactUrl(proxy);
    const unreachable = options?.unreachable;
    // The runtime's error may quote the request's URL or the proxy's (Bun: its `path`; Deno:
    // "error sending request for url (...)"): their secrets go, as in a network error's.
    if (options?.cause !== undefined) {
      redactErrorText(options.cause, input);
      redactErrorText(options.cause, proxy);
    }
    const why = unreachable
      ? `the proxy could not be reached${typeof unreachable === 'string' ? ` (${unreachable})` : ''}: check that it runs and that the proxy URL's host and port are right`
      : status === 407 || status === 401
        ? proxy.username
          ? `the proxy rejected the credentials in the proxy URL (${status})`
          : `the proxy requires authentication (${status}): put user:password in the proxy URL`
        : status === 0
          ? 'the proxy refused the CONNECT tunnel (the runtime does not say with which status; with credentials in the proxy URL, check them)'
          : `the proxy refused with ${status}`;
    super(
      unreachable ? 'PROXY_UNREACHABLE' : 'PROXY_REFUSED',
      `${callLabel(input, init)}: ${why}. Proxy: ${p}.${detail ? ` ${detail}` : ''}`,
      {
        at: describeCall(input, init),
        ...(options && 'cause' in options ? { cause: options.cause } : {}),
      },
    );
    this.status = status;
    this.proxy = p;
    this.reason = typeof unreachable === 'string' ? unreachable : undefined;
  }
}

/**
 * The proxy answered 407: frees the response (its body is never read) and rejects with the
 * ProxyError that says so, with the scheme the proxy asked for.
 */
export async function proxyAuthRequired(
  response: Response,
  proxy: URL,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<never> {
  const why = response.headers.get('proxy-authenticate');
  await response.body?.cancel().catch(() => {});
  throw new ProxyError(407, proxy, input, init, why ? `It asked for: ${why}.` : '');
}
