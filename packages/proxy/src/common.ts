// What every entry (node, deno, bun, browser/workerd, default) exports besides its two factories.
export {
  ConnectTimeoutError,
  isConnectTimeoutError,
} from './errors/connect-timeout-error.js';
export { isProxyError, ProxyError } from './errors/proxy-error.js';
export {
  isProxyUnsupportedError,
  ProxyUnsupportedError,
} from './errors/proxy-unsupported-error.js';
export {
  isTransportClosedError,
  TransportClosedError,
} from './errors/transport-closed-error.js';
export type { ProxyTarget, TlsOptions, Transport, TransportOptions } from './types.js';
