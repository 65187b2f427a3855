import { FetchstackError, type FetchstackErrorOptions, isErrorNamed } from '@fetchstack/core';
import { holdRedacted } from '@fetchstack/core/internal';

/** What went wrong, for code that branches on it. */
export type AuthErrorCode =
  /** The server's digest challenge names an algorithm this package does not implement. */
  | 'DIGEST_UNSUPPORTED_ALGORITHM'
  /** The server's digest challenge offers only a `qop` this package does not implement (`auth-int`). */
  | 'DIGEST_UNSUPPORTED_QOP'
  /** The server's digest challenge has no `nonce` or `realm`. */
  | 'DIGEST_BAD_CHALLENGE'
  /** A token function (or `refresh`) returned something that is not a usable token. */
  | 'BAD_TOKEN'
  /** `refresh` failed after a request it made through the same layer was answered 401. */
  | 'REFRESH_REFUSED';

/**
 * An auth layer could not authenticate a request. The message says what to change;
 * it never contains a credential. `method` and `url` are the request's (URL credentials
 * removed); `response` is the server's answer when there was one (its body unread).
 */
export class AuthError extends FetchstackError {
  override name = 'AuthError' as const;
  declare readonly code: AuthErrorCode;
  declare readonly method: string;
  declare readonly url: string;
  /** The server's answer, when there was one (its body unread). Prints redacted. */
  declare readonly response: Response | undefined;

  /**
   * `message` is put after the request's `at.method` and `at.url` (`GET https://…: message`).
   * `at.url` must be free of credentials already (`describeCall` of `@fetchstack/core/internal`
   * gives both): the code that makes the error describes the request, so that a page that
   * never meets one never loads URL redaction.
   */
  constructor(
    message: string,
    details: FetchstackErrorOptions & {
      code: AuthErrorCode;
      at: { method: string; url: string };
      response?: Response | undefined;
    },
  ) {
    super(details.code, `${details.at.method} ${details.at.url}: ${message}`, details);
    // Printed whole (console.error), the error shows no cookie or token of the response's.
    holdRedacted(this, 'response', details.response);
  }
}

/** True for an `AuthError`, also one from another copy of this package or another realm. */
export function isAuthError(error: unknown): error is AuthError {
  return isErrorNamed<AuthError>(error, 'AuthError');
}
