// The retry policy: what is retryable and how long to wait. No I/O here; the
// mechanism (retry.ts) asks these questions and acts on the answers.
import { type Input, isBadPort, urlOf } from '@fetchstack/core/internal';
import type { Policy } from './options.js';
import { bunNetworkCode, workerdNetworkError } from './runtime-errors.js';

/** urllib3's RETRY_AFTER_STATUS_CODES: retried when they carry Retry-After, listed or not. */
const retryAfterStatuses = new Set([413, 429, 503]);

/** Whether a method may be retried at all under this policy. */
export function methodAllowed(policy: Policy, method: string): boolean {
  return policy.limit > 0 && policy.methods.has(method.toUpperCase());
}

/** Whether a response's status asks for a retry. */
export function retryableResponse(policy: Policy, response: Response): boolean {
  if (policy.statusCodes.has(response.status)) return true;
  return (
    policy.retryAfter.respect &&
    retryAfterStatuses.has(response.status) &&
    response.headers.has('retry-after')
  );
}

// Messages of the platforms' network failures, measured:
// Node (undici): TypeError 'fetch failed' with a `cause` (ECONNREFUSED, UND_ERR_SOCKET, ENOTFOUND, HPE_*).
// Deno: TypeError 'fetch failed' with a `cause` ("error sending request ... connection closed ...").
// Bun: TypeError with a `code` (ECONNREFUSED, ECONNRESET, ENOTFOUND, Malformed_HTTP_Response),
//   see runtime-errors.ts.
// Chromium: TypeError 'Failed to fetch'; Firefox 'NetworkError when attempting...'; Safari 'Load failed'.
// workerd: a plain Error 'Network connection lost.' (refused, reset) or 'internal error; reference = ...'
//   (a response that is not HTTP), see runtime-errors.ts.
// A bad request (an invalid header value) is a TypeError too, but with none of these
// marks: Node 'Headers.append: ... invalid header value', Deno 'Invalid header value',
// Bun "Header 'x' has invalid value", Chromium "Failed to execute 'fetch' on 'Window': ...".
const networkMessages =
  /^(?:fetch failed$|failed to fetch$|networkerror when attempting to fetch resource|load failed$|network connection lost|network error|error sending request|connection (?:reset|refused|closed))/i;

/**
 * Whether an error thrown by the fetch beneath is a network failure worth a retry.
 * With the call's `input`, a refusal that only looks like one is not: a URL fetch
 * refuses (a scheme other than http/https, a port on the Fetch standard's bad-port
 * list) fails the same way every time.
 */
export function isNetworkError(error: unknown, input?: Input): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    limit?: unknown;
  };
  if (input !== undefined && refusedUrl(input)) return false;
  // redirect: 'error' met a redirect: the redirect layer's TypeError names it as its cause.
  if ((e.cause as { name?: unknown } | undefined)?.name === 'RedirectError') return false;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.name === 'TypeError') {
    // Deno: a blocked port ("Fetch failed: Requests to port 9 are blocked") is policy, not the network.
    if (/blocked/i.test(message)) return false;
    if (message === 'fetch failed' && e.cause !== undefined) return true;
    if (bunNetworkCode(e.code)) return true;
    return networkMessages.test(message);
  }
  if (e.name === 'Error') return workerdNetworkError(message, networkMessages);
  return false;
}

/** A URL fetch refuses before any connection: not http(s), or a bad port. */
function refusedUrl(input: Input): boolean {
  let url: URL;
  try {
    url = urlOf(input);
  } catch {
    return true; // not a URL: the platform's TypeError says so, every time
  }
  return (url.protocol !== 'http:' && url.protocol !== 'https:') || isBadPort(url);
}

/**
 * What a call rejects with when retries end on a network failure because the limit is
 * reached (or the body cannot be sent again): the last try's own error, as fetch would
 * reject (a `TypeError`, which clients check for), given `attempts` (every try made).
 * `undefined` for every other ending, which `RetryError` describes.
 */
export function exhaustedNetworkError(
  error: unknown,
  input: Input,
  attempts: number,
  reason: string,
): unknown {
  if (reason !== 'limit' && reason !== 'body') return undefined;
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

/**
 * `Retry-After` in ms: a non-negative integer of seconds or an HTTP-date in the
 * future. `undefined` for garbage, a negative number or a past date (the backoff
 * applies then); 0 for `0` (retry after the backoff wait, as urllib3).
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP-date (it names a weekday or a month); Date.parse alone would take "-5" or "1.5".
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at) || at <= now) return undefined;
  return at - now;
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
          giveUp: `Retry-After asks for ${Math.round(ms)} ms, more than retryAfter.max (${policy.retryAfter.max} ms), so the response was returned instead of waiting`,
        };
      }
      return { ms };
    }
  }
  return { ms: backoffDelay(policy, retry) };
}
