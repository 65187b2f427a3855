import { FetchstackError, isErrorNamed } from '@fetchstack/core';

/** Why a redirect could not be followed. */
export type RedirectErrorCode =
  /** More hops than `limit`. */
  | 'TOO_MANY_REDIRECTS'
  /** A `Location` that does not parse, or points to a scheme other than http(s). */
  | 'BAD_LOCATION'
  /** A 307/308 asked to send again a body that was a stream (fetch refuses this too). */
  | 'BODY_NOT_REPLAYABLE'
  /** The call asked for `redirect: 'error'` and got a redirect. */
  | 'UNEXPECTED_REDIRECT';

/**
 * A redirect the layer will not follow. Carries the call's `method` and `url`
 * (credentials removed), the `code`, the number of `hops` followed so far and
 * the `location` the server asked for (credentials removed).
 */
export class RedirectError extends FetchstackError {
  override name = 'RedirectError';
  declare readonly code: RedirectErrorCode;
  declare readonly method: string;
  declare readonly url: string;
  readonly hops: number;
  readonly location: string | undefined;

  constructor(
    message: string,
    details: {
      code: RedirectErrorCode;
      method: string;
      url: string;
      hops: number;
      location?: string | undefined;
      cause?: unknown;
    },
  ) {
    super(details.code, message, {
      at: { method: details.method, url: details.url },
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.hops = details.hops;
    this.location = details.location;
  }
}

/** True for a `RedirectError`, also one from another copy of this package or realm. */
export function isRedirectError(error: unknown): error is RedirectError {
  return isErrorNamed<RedirectError>(error, 'RedirectError');
}
