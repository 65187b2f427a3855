import { describeCall, hasErrorName } from '@fetchstack/core/internal';

/**
 * Thrown (as a rejection) by every call made through a session after
 * `session.close()` (or the end of its `await using` block).
 */
export class SessionClosedError extends Error {
  override name = 'SessionClosedError';
  /** The method of the refused call. */
  readonly method: string;
  /** The URL of the refused call, credentials removed. */
  readonly url: string;

  constructor(input: string | URL | Request, init?: RequestInit) {
    let call: { method: string; url: string };
    try {
      call = describeCall(input, init);
    } catch {
      call = { method: 'GET', url: '(unknown URL)' };
    }
    super(
      `${call.method} ${call.url}: this session is closed (session.close() was called, or its \`await using\` block ended). Create a new session with createSession() to make more requests.`,
    );
    this.method = call.method;
    this.url = call.url;
  }
}

/** True for a `SessionClosedError`, from this bundle or another (checks `name`). */
export function isSessionClosedError(error: unknown): error is SessionClosedError {
  return error instanceof SessionClosedError || hasErrorName(error, 'SessionClosedError');
}
