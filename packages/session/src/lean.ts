// @fetchstack/session/lean: the same as the default entry, except that `session.client`
// (ky) is left out, so ky is not bundled; withClient() from '@fetchstack/session/client' adds it.
export type { AuthOption } from './auth.js';
export {
  type AfterResponseInfo,
  type BeforeRequestInfo,
  type BeforeRetryInfo,
  type Hooks,
  type LoggerOptions,
  type LogTarget,
  logger,
  redactHeaders,
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
export type { MountOptions, SessionOptions, SessionTimeoutOptions } from './options.js';
export type { Session } from './session.js';
export { createSession } from './session.js';
export { isSessionClosedError, SessionClosedError } from './session-closed-error.js';
