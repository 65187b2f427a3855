/**
 * fetchstack: every package in one install. The same exports as the
 * `@fetchstack/*` packages, which remain the way to install only what you use.
 *
 * @example
 * import { createSession } from 'fetchstack';
 * await using session = createSession({ baseUrl: 'https://api.example.com/v1/' });
 * const me = await session.client.get('users/me').json();
 */

export * from '@fetchstack/auth';
export * from '@fetchstack/cookies';
export * from '@fetchstack/core';
export * from '@fetchstack/headers';
export * from '@fetchstack/proxy';
export * from '@fetchstack/redirect';
export * from '@fetchstack/retry';
export {
  type AfterResponseInfo,
  type AuthOption,
  type BeforeRequestInfo,
  type BeforeRetryInfo,
  createSession,
  type Hooks,
  isSessionClosedError,
  type LoggerOptions,
  type LogTarget,
  logger,
  type MountOptions,
  redactHeaders,
  type Session,
  SessionClosedError,
  type SessionOptions,
  type SessionTimeoutOptions,
} from '@fetchstack/session';
export * from '@fetchstack/timeout';
