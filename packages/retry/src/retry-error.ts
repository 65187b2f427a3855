import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { holdRedacted, printsRedacted } from '@fetchstack/core/internal';

/** Why retrying stopped while the last try still failed in a retryable way. */
export type GiveUpReason = 'limit' | 'budget' | 'retry-after' | 'body' | 'timeout';

/**
 * Retries ran out (or could not start) while the last try still failed.
 *
 * Thrown with `throwOnExhausted: true` when the last try ended with a retryable
 * status, when the retry budget or a too-long `Retry-After` stopped the retries,
 * and when the last try timed out (`attempt` timeout). A network failure that
 * used up the retries rejects with the last try's own `TypeError` instead, as
 * fetch does, with `attempts` added.
 *
 * @example
 * try { await api(url); } catch (e) {
 *   if (isRetryError(e)) console.log(e.attempts, e.reason, e.response?.status ?? e.error);
 * }
 */
export class RetryError extends FetchstackError {
  override name = 'RetryError' as const;
  // `declare`: set by the constructor, in this order (no field initialisers to ship as well).
  /** Every try made, the first included: `limit: 2` gives at most 3. */
  declare readonly attempts: number;
  /** Why no further try was made. */
  declare readonly reason: GiveUpReason;
  /** The last try's response, when it produced one (its body unread). Prints redacted. */
  declare readonly response: Response | undefined;
  /** The last try's error, when it threw (also `cause`). */
  declare readonly error: unknown;
  declare readonly code: 'RETRIES_EXHAUSTED';
  /** The request's method. */
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  /**
   * Made by the retry layer once the retries are over: `message` says which call, how many
   * tries, how the last one failed and why no further try was made; `at` is the call's
   * method and URL, credentials removed.
   */
  constructor(
    message: string,
    details: {
      at: { method: string; url: string };
      attempts: number;
      reason: GiveUpReason;
      response?: Response | undefined;
      error?: unknown;
    },
  ) {
    // Printed whole (console.error), the error shows no cookie or token of the response's.
    const response = printsRedacted(details.response);
    super('RETRIES_EXHAUSTED', message, { at: details.at, cause: response ?? details.error });
    this.attempts = details.attempts;
    this.reason = details.reason;
    holdRedacted(this, 'response', response);
    this.error = details.error;
  }
}

/** True for a `RetryError` from any copy of this package (falls back to the `name`). */
export function isRetryError(error: unknown): error is RetryError {
  return isErrorNamed<RetryError>(error, 'RetryError');
}
