// What every runtime entry exports besides its two factories.
export {
  ConnectTimeoutError,
  type ConnectTimeoutFailure,
} from './errors/connect-timeout-error.js';
// The guards: connectTimeoutOf, isConnectTimeoutError, isProxyError, isProxyUnsupportedError,
// isTransportClosedError.
export * from './errors/guards.js';
export { ProxyError } from './errors/proxy-error.js';
export { ProxyUnsupportedError } from './errors/proxy-unsupported-error.js';
export { TransportClosedError } from './errors/transport-closed-error.js';
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
