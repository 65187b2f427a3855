export { createSession, type Session } from './session.js';
export type { MountOptions, SessionOptions, SessionTimeoutOptions } from './options.js';
export type { AuthOption } from './auth.js';
export {
  logger,
  redactHeaders,
  type AfterResponseInfo,
  type BeforeRequestInfo,
  type BeforeRetryInfo,
  type Hooks,
  type LoggerOptions,
  type LogTarget,
} from './hooks.js';
export {
  CookieJar,
  type CookiesOption,
  type PoolOption,
  type PoolSettings,
  type ProxyOption,
  type TlsOption,
  type TlsSettings,
} from './layers.js';
export { isSessionClosedError, SessionClosedError } from './session-closed-error.js';
