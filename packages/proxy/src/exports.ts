// What every runtime entry exports besides its two factories.
export {
  ConnectTimeoutError,
  type ConnectTimeoutFailure,
  connectTimeoutOf,
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
export type { NetworkErrorInfo } from './network-error.js';
export type {
  PoolOptions,
  ProxyLayer,
  ProxyLayerOptions,
  ProxyRoutes,
  ProxyTarget,
  ProxyUrl,
  TlsOptions,
  Transport,
  TransportFactories,
  TransportOptions,
} from './types.js';
