// Browsers and Cloudflare Workers: the platform decides how a request leaves (the browser's
// proxy settings, Cloudflare's network), so a proxy, TLS or pool setting cannot be honoured.
import { runtime } from '@fetchstack/core/internal';
import { ProxyUnsupportedError } from './errors/proxy-unsupported-error.js';
import type { Backend } from './transport.js';

const label = (name: string): string =>
  name === 'workerd'
    ? 'Cloudflare Workers (workerd)'
    : name === 'browser'
      ? 'a browser'
      : `this runtime (${name})`;

const advice: Record<string, string> = {
  proxy:
    "it routes requests itself (browser: the system or browser proxy settings; Workers: Cloudflare's network). Leave the proxy out here (proxy: false), or send the request from a server runtime (Node, Deno, Bun).",
  tls: 'it verifies certificates itself against its own roots. Leave tls out here, or install the CA in the system/browser store.',
  pool: 'it manages connections itself. Leave pool out here.',
  connect:
    'it has no connect timeout setting. Leave connect out here and use a timeout layer (@fetchstack/timeout) instead.',
};

export const edgeBackend: Backend = {
  open(resolved, where) {
    const name = runtime;
    const refuse = (option: string): never => {
      throw new ProxyUnsupportedError(
        name,
        option,
        `${where}: ${option} is not supported in ${label(name)}: ${advice[option]}`,
      );
    };
    if (resolved.routes) refuse('proxy');
    if (resolved.tls) refuse('tls');
    if (resolved.connections !== undefined) refuse('pool');
    if (resolved.connect !== undefined) refuse('connect');
    // Captured now, so `globalThis.fetch = session` later never makes this call itself.
    const platformFetch = globalThis.fetch.bind(globalThis);
    return { fetch: platformFetch, close: async () => {} };
  },
};
