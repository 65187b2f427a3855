// ProxyError of the browser and Workers builds: never thrown there (no proxy can be used);
// here for imports, `instanceof` and the guard. Its message is shorter than a server's.
import { FetchstackError } from '@fetchstack/core';
import type * as full from '../../exports.js';
import { at, guard, hide, type Input, label } from './lean-call.js';

export const ProxyError: typeof full.ProxyError = class ProxyError extends FetchstackError {
  override name = 'ProxyError' as const;
  declare readonly code: 'PROXY_REFUSED' | 'PROXY_UNREACHABLE';
  declare readonly status: number;
  declare readonly proxy: string;
  declare readonly reason: string | undefined;
  declare readonly method: string;
  declare readonly url: string;
  constructor(
    status: number,
    proxy: URL,
    input: Input,
    init: RequestInit | undefined,
    detail: string,
    options?: { cause?: unknown; unreachable?: string | true },
  ) {
    const call = at(input, init);
    const p = hide(proxy.href);
    const unreachable = options?.unreachable;
    const reason = typeof unreachable === 'string' ? unreachable : undefined;
    super(
      unreachable ? 'PROXY_UNREACHABLE' : 'PROXY_REFUSED',
      `${label(call)}: ${unreachable ? `the proxy could not be reached${reason ? ` (${reason})` : ''}` : `the proxy refused with ${status}`}. Proxy: ${p}.${detail ? ` ${detail}` : ''}`,
      { ...options, at: call },
    );
    this.status = status;
    this.proxy = p;
    this.reason = reason;
  }
};
export type ProxyError = full.ProxyError;
export const isProxyError: typeof full.isProxyError = guard('ProxyError');
