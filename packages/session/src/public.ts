// What both entries export besides createSession and the error classes (errors.ts): re-exported
// by each entry with `export *` (see errors.ts for why).
export { CookieJar } from '@fetchstack/cookies';
export { redactHeaders, redactUrl } from '@fetchstack/core/internal';
export { RetryBudget } from '@fetchstack/retry';
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
export type { ClientOptions, Session, SessionClient } from './session.js';
export type { SessionStore } from './store.js';
