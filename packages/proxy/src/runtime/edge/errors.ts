// The error classes of the browser and Workers build. There nothing sends through a proxy,
// so a ProxyError or a ConnectTimeoutError is never thrown: the classes are here so that code
// shared with a server (`instanceof`, `catch` blocks, the guards) works unchanged. Each is a
// small subclass of core's FetchstackError with its name and code; the guards and
// ProxyUnsupportedError are the ones every build exports.
import { FetchstackError, type FetchstackErrorOptions } from '@fetchstack/core';
import type * as full from '../../exports.js';

/** A subclass of FetchstackError named `name` (the class's `name` too), with `code`. */
function named(name: string, code: string) {
  // A class made as a property's value takes that property's name.
  return {
    [name]: class extends FetchstackError {
      constructor(message: string, options?: FetchstackErrorOptions) {
        super(code, message, options);
        this.name = name;
      }
    },
  }[name];
}

// The guards: connectTimeoutOf, isConnectTimeoutError, isProxyError, isProxyUnsupportedError,
// isTransportClosedError.
export * from '../../errors/guards.js';
export { ProxyUnsupportedError } from '../../errors/proxy-unsupported-error.js';
/** See the server build's ConnectTimeoutError: never thrown in browsers and Workers. */
export const ConnectTimeoutError = /* @__PURE__ */ named(
  'ConnectTimeoutError',
  'CONNECT_TIMEOUT',
) as unknown as typeof full.ConnectTimeoutError;
/** See the server build's ProxyError: never thrown in browsers and Workers. */
export const ProxyError = /* @__PURE__ */ named(
  'ProxyError',
  'PROXY_REFUSED',
) as unknown as typeof full.ProxyError;
/** A call on a transport after `close()`. */
export const TransportClosedError = /* @__PURE__ */ named(
  'TransportClosedError',
  'TRANSPORT_CLOSED',
) as unknown as typeof full.TransportClosedError;
