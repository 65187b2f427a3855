// The retry policy once a try has failed: whether the retries are over, and how long to wait.
// No I/O here; the mechanism (engine.ts) asks these questions and acts on the answers.
import type { Input } from '@fetchstack/core/internal';
// Through the index, not the modules themselves (see index.ts).
import { isNetworkError, parseRetryAfter } from './index.js';
import type { Policy } from './options.js';

/**
 * What a call rejects with when retries end on a network failure because the limit is
 * reached, the body cannot be sent again, or the wait before the next try would outlast the
 * total timeout: the last try's own error, as fetch would reject (a `TypeError`, which
 * clients check for), given `attempts` (every try made). `undefined` for every other ending
 * (a spent budget: a choice not to retry), which `RetryError` describes.
 */
export function exhaustedNetworkError(
  error: unknown,
  input: Input,
  attempts: number,
  reason: string,
): unknown {
  if (reason !== 'limit' && reason !== 'body' && reason !== 'timeout') return undefined;
  if (!isNetworkError(error, input)) return undefined;
  try {
    Object.defineProperty(error, 'attempts', {
      value: attempts,
      writable: true,
      configurable: true,
    });
  } catch {
    // A frozen error keeps what it has.
  }
  return error;
}

/**
 * A per-try timeout from the layer beneath (`@fetchstack/timeout`'s `attempt`),
 * as opposed to the caller's signal, which the mechanism checks first.
 */
export function isAttemptTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; limit?: unknown };
  return e.name === 'TimeoutError' && e.limit !== 'total' && e.limit !== 'read';
}

/** The backoff wait before retry `retry` (1 = the first retry). */
export function backoffDelay(policy: Policy, retry: number): number {
  const { initial, factor, max, jitter } = policy.backoff;
  const base = Math.min(max, initial * factor ** (retry - 1));
  // "Equal jitter": keeps at least half the wait, so a backoff still backs off.
  return jitter ? base / 2 + Math.random() * (base / 2) : base;
}

/**
 * The wait before retry `retry` after `response` (or an error): the Retry-After
 * value when it is honoured and positive, else the backoff. `giveUp` when
 * Retry-After asks for longer than `retryAfter.max`.
 */
export function waitBefore(
  policy: Policy,
  retry: number,
  response: Response | undefined,
): { ms: number; giveUp?: string } {
  if (response && policy.retryAfter.respect) {
    const header = response.headers.get('retry-after');
    const ms = parseRetryAfter(header);
    if (ms !== undefined && ms > 0) {
      if (ms > policy.retryAfter.max) {
        return {
          ms,
          giveUp: `Retry-After asks for ${Math.round(ms)} ms, more than retryAfter.max (${policy.retryAfter.max} ms), so no retry waits for it`,
        };
      }
      return { ms };
    }
  }
  return { ms: backoffDelay(policy, retry) };
}
