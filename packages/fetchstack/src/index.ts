/**
 * fetchstack: every package in one install (but `@fetchstack/redis`, which is for servers
 * and brings a Redis client). The same exports as the `@fetchstack/*` packages, which remain
 * the way to install only what you use.
 *
 * @example
 * import { createSession } from 'fetchstack';
 * await using session = createSession({ baseUrl: 'https://api.example.com/v1/' });
 * const me = await session.client.get('users/me').json();
 */

export * from '@fetchstack/auth';
export * from '@fetchstack/cache';
export * from '@fetchstack/cookies';
export * from '@fetchstack/core';
export * from '@fetchstack/headers';
export * from '@fetchstack/limit';
export * from '@fetchstack/proxy';
export * from '@fetchstack/redirect';
export * from '@fetchstack/retry';
// The session's own exports (its errors and guards come from the packages above).
export {
  type AfterErrorInfo,
  type AfterResponseInfo,
  type AuthOption,
  type BeforeRequestInfo,
  type BeforeRetryInfo,
  type CallOptions,
  type ClientOptions,
  type CookiesOption,
  createSession,
  type Hooks,
  isSessionClosedError,
  type LoggerOptions,
  type LogTarget,
  logger,
  type MountOptions,
  type ProxyOption,
  type RetryOption,
  redactHeaders,
  redactUrl,
  type Session,
  type SessionClient,
  SessionClosedError,
  type SessionOptions,
  type SessionRequestInit,
  type SessionStore,
  type SessionTimeoutOptions,
  type StoreErrorInfo,
  type TimeoutOption,
} from '@fetchstack/session';
export * from '@fetchstack/timeout';
