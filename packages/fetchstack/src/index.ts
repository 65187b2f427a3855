/**
 * fetchstack: every package in one install. The same exports as the
 * `@fetchstack/*` packages, which remain the way to install only what you use.
 *
 * @example
 * import { createSession } from 'fetchstack';
 * await using session = createSession({ baseUrl: 'https://api.example.com/v1/' });
 * const me = await session.client.get('users/me').json();
 */
export * from '@fetchstack/core';
export * from '@fetchstack/headers';
export * from '@fetchstack/auth';
export * from '@fetchstack/redirect';
export * from '@fetchstack/retry';
export * from '@fetchstack/timeout';
export * from '@fetchstack/cookies';
export * from '@fetchstack/proxy';
export {
  createSession,
  isSessionClosedError,
  logger,
  redactHeaders,
  SessionClosedError,
  type AfterResponseInfo,
  type AuthOption,
  type BeforeRequestInfo,
  type BeforeRetryInfo,
  type Hooks,
  type LoggerOptions,
  type LogTarget,
  type MountOptions,
  type Session,
  type SessionOptions,
  type SessionTimeoutOptions,
} from '@fetchstack/session';
