import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { callLabel, describeCall } from '@fetchstack/core/internal';

/** Why retrying stopped while the last try still failed in a retryable way. */
export type GiveUpReason = 'limit' | 'budget' | 'retry-after' | 'body';

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
  /** Every try made, the first included: `limit: 2` gives at most 3. */
  readonly attempts: number;
  /** Why no further try was made. */
  readonly reason: GiveUpReason;
  /** The last try's response, when it produced one (its body unread). */
  readonly response: Response | undefined;
  /** The last try's error, when it threw (also `cause`). */
  readonly error: unknown;
  declare readonly code: 'RETRIES_EXHAUSTED';
  /** The request's method. */
  declare readonly method: string;
  /** The request's URL, credentials removed. */
  declare readonly url: string;

  constructor(
    input: string | URL | Request,
    init: RequestInit | undefined,
    details: {
      attempts: number;
      reason: GiveUpReason;
      why: string;
      response?: Response | undefined;
      error?: unknown;
    },
  ) {
    const last = details.response
      ? `status ${details.response.status}`
      : describeError(details.error);
    super(
      'RETRIES_EXHAUSTED',
      `${callLabel(input, init)} failed after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'} (last: ${last}); ${details.why}`,
      { at: describeCall(input, init), cause: details.response ?? details.error },
    );
    this.attempts = details.attempts;
    this.reason = details.reason;
    this.response = details.response;
    this.error = details.error;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null))
    return String(error);
  const e = error as Error & { code?: unknown; cause?: any };
  const code =
    typeof e.code === 'string'
      ? e.code
      : typeof e.cause?.code === 'string'
        ? e.cause.code
        : undefined;
  const causeMessage = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.name}: ${e.message}${causeMessage}${code ? ` [${code}]` : ''}`;
}

/** True for a `RetryError` from any copy of this package (falls back to the `name`). */
export function isRetryError(error: unknown): error is RetryError {
  return isErrorNamed<RetryError>(error, 'RetryError');
}
