// Every error and guard a call through a session can reject with, so that an app needs no
// other import to tell them apart. Both entries re-export this file with `export *` and are
// made only of `export *` lines: esbuild then leaves an error class out of a page's first load
// when nothing there uses it (`RedirectError`, `RetryError`: only code loaded later throws
// them), where a named re-export in the entry would put it in.
export { AuthError, type AuthErrorCode, isAuthError } from '@fetchstack/auth';
export { CacheStoreError, isCacheStoreError } from '@fetchstack/cache/errors';
export { CookieJarUnavailableError, isCookieJarUnavailableError } from '@fetchstack/cookies';
export {
  FetchstackError,
  type FetchstackErrorCode,
  isFetchstackError,
} from '@fetchstack/core';
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
export { isRetryError, RetryError } from '@fetchstack/retry';
export { isTimeoutError, TimeoutError, type TimeoutLimit } from '@fetchstack/timeout';
export { isSessionClosedError, SessionClosedError } from './session-closed-error.js';
