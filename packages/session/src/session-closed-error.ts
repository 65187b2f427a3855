import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { describeCall } from '@fetchstack/core/internal';

/**
 * Thrown (as a rejection) by every call made through a session after
 * `session.close()` (or the end of its `await using` block).
 */
export class SessionClosedError extends FetchstackError {
  override name = 'SessionClosedError' as const;
  /** The method of the refused call. */
  declare readonly method: string;
  /** The URL of the refused call, credentials removed. */
  declare readonly url: string;

  constructor(input: string | URL | Request, init?: RequestInit) {
    let call: { method: string; url: string };
    try {
      call = describeCall(input, init);
    } catch {
      call = { method: 'GET', url: '(unknown URL)' };
    }
    super(
      'SESSION_CLOSED',
      `${call.method} ${call.url}: this session is closed (session.close() was called, or its \`await using\` block ended). Create a new session with createSession() to make more requests.`,
      { at: call },
    );
  }
}

/** True for a `SessionClosedError`, from this bundle or another (checks `name`). */
export function isSessionClosedError(error: unknown): error is SessionClosedError {
  return isErrorNamed<SessionClosedError>(error, 'SessionClosedError');
}
