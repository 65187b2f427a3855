import { FetchstackError } from '@fetchstack/core';

/**
 * Thrown when a proxy, TLS or pool setting was asked of a runtime that cannot honour it
 * (browsers and Cloudflare Workers route requests themselves), at creation, so a request
 * never silently goes direct.
 *
 * @example
 * try { proxy('http://proxy:3128'); } catch (e) { if (isProxyUnsupportedError(e)) console.log(e.runtime); }
 */
export class ProxyUnsupportedError extends FetchstackError {
  // Set in the constructor rather than as class fields: fewer bytes in a browser bundle.
  declare name: 'ProxyUnsupportedError';
  /** The runtime that cannot do it: `'browser'`, `'workerd'`, `'deno'`, ... */
  declare readonly runtime: string;
  /** The option that cannot be honoured: `'proxy'`, `'tls'`, `'tls.rejectUnauthorized'`, `'pool'`, `'connect'`. */
  declare readonly option: string;

  constructor(runtime: string, option: string, message: string) {
    super('PROXY_UNSUPPORTED', message);
    this.name = 'ProxyUnsupportedError';
    this.runtime = runtime;
    this.option = option;
  }
}
