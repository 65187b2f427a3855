// @fetchstack/session/lean: the same as the default entry, except that `session.client`
// (ky) is left out, so ky is not bundled; withClient() from '@fetchstack/session/client' adds it.

// Every error and guard a call through a session can reject with, so that an app needs no
// other import to tell them apart.
export { AuthError, type AuthErrorCode, isAuthError } from '@fetchstack/auth';
export {
  CookieJar,
  CookieJarUnavailableError,
  isCookieJarUnavailableError,
} from '@fetchstack/cookies';
export {
  FetchstackError,
  type FetchstackErrorCode,
  isFetchstackError,
} from '@fetchstack/core';
export { redactHeaders, redactUrl } from '@fetchstack/core/internal';
export {
  ConnectTimeoutError,
  isConnectTimeoutError,
  isProxyError,
  isProxyUnsupportedError,
  isTransportClosedError,
  ProxyError,
  ProxyUnsupportedError,
  TransportClosedError,
} from '@fetchstack/proxy';
export { isRedirectError, RedirectError, type RedirectErrorCode } from '@fetchstack/redirect';
export { isRetryError, RetryBudget, RetryError } from '@fetchstack/retry';
export { isTimeoutError, TimeoutError, type TimeoutLimit } from '@fetchstack/timeout';
export type { AuthOption } from './layers/auth.js';
export type { CookiesOption } from './layers/cookies.js';
export type {
  AfterErrorInfo,
  AfterResponseInfo,
  BeforeRequestInfo,
  BeforeRetryInfo,
  Hooks,
  StoreErrorInfo,
} from './layers/hooks.js';
export type { RetryOption } from './layers/retry.js';
export type { SessionTimeoutOptions, TimeoutOption } from './layers/timeout.js';
export type { ProxyOption } from './layers/transport.js';
export { type LoggerOptions, type LogTarget, logger } from './logger.js';
export type {
  CallOptions,
  MountOptions,
  SessionOptions,
  SessionRequestInit,
} from './options.js';
export type { Session } from './session.js';
export { createSession } from './session.js';
export { isSessionClosedError, SessionClosedError } from './session-closed-error.js';
export type { SessionStore } from './store.js';
