import type { Fetch, Middleware } from '@fetchstack/core';
import { assertOptionsObject, urlOf } from '@fetchstack/core/internal';
import { TransportClosedError } from './errors/transport-closed-error.js';
import { proxyFor, proxyOnly, type Resolved, resolveOptions } from './options.js';
import type { ProxyTarget, Transport, TransportOptions } from './types.js';

/** How one runtime sends requests: made once per transport, from checked options. */
export interface Backend {
  /** Opens the runtime's client(s). Throws `ProxyUnsupportedError` for what the runtime cannot do. */
  open(resolved: Resolved, where: string): { fetch: Fetch; close(): Promise<void> };
}

// Node 20.x before 20.4 and some engines have no Symbol.asyncDispose: the registered symbol stands in.
const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as any).asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as any);

function build(backend: Backend, resolved: Resolved, where: string): Transport {
  const inner = backend.open(resolved, where);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= inner.close();
    return closing;
  };
  return {
    fetch: function transportFetch(input, init) {
      if (closing) return Promise.reject(new TransportClosedError(input, init));
      return inner.fetch(input, init);
    },
    close,
    [asyncDispose]: close,
  } as Transport;
}

export function createTransportWith(
  backend: Backend,
  options: TransportOptions | undefined,
): Transport {
  const where = 'createTransport()';
  return build(backend, resolveOptions(options, where), where);
}

export function proxyWith(
  backend: Backend,
  target: ProxyTarget,
  options: Omit<TransportOptions, 'proxy'> | undefined,
): Middleware & { close(): Promise<void> } {
  const where = 'proxy()';
  assertOptionsObject(options, where);
  if (options && 'proxy' in options) {
    throw new TypeError(`${where}: pass the proxy as the first argument, not as options.proxy.`);
  }
  if (target === undefined || target === null || (target as unknown) === false) {
    throw new TypeError(
      `${where}: a target is required: a proxy URL, { http, https, noProxy } or 'env'. To send direct, leave the layer out.`,
    );
  }
  const resolved = resolveOptions({ ...options, proxy: target }, where);
  if (!resolved.routes && proxyOnly(resolved)) {
    // 'env' with nothing set: a layer that changes nothing.
    const passThrough = (next: Fetch): Fetch => next;
    return Object.assign(passThrough, { close: async () => {} });
  }
  const transport = build(backend, resolved, where);
  const bypassToNext = proxyOnly(resolved);
  const layer = (next: Fetch): Fetch =>
    function proxied(input, init) {
      // With only a proxy configured, what goes direct is left to the fetch beneath.
      if (bypassToNext && !proxyFor(resolved.routes, urlOf(input))) return next(input, init);
      return transport.fetch(input, init);
    };
  return Object.assign(layer, { close: () => transport.close() });
}
