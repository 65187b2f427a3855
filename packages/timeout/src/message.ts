// What a TimeoutError says: the call (credentials removed) and which limit fired, with a
// hint. Loaded when a call with a limit starts (`messages` in timeout-error.ts), so that
// `timeout()` alone does not carry URL redaction and these words until one can fire.
import { redactUrl } from '@fetchstack/core/internal';
import type { TimeoutLimit } from './timeout-error.js';

const what: Record<TimeoutLimit, string> = {
  total: 'no final response headers within the total timeout',
  attempt: 'no response headers within the per-try (attempt) timeout',
  read: 'the response body was silent longer than the read timeout',
};

const hint: Record<TimeoutLimit, string> = {
  total: 'raise `total` if the server is slow but healthy',
  attempt: 'raise `attempt` if one try may legitimately take longer',
  read: 'raise `read` if the server pauses between chunks',
};

/**
 * The message of a `TimeoutError` and its `url`, credentials removed: `target` is the call's
 * URL (or what stands for it when it does not parse), as `TimeoutError` reads it.
 */
export function describeTimeout(
  limit: TimeoutLimit,
  ms: number,
  method: string,
  target: string | URL,
): [string, string] {
  const url = redactUrl(target);
  return [`${method} ${url} timed out: ${what[limit]} (${limit}: ${ms} ms); ${hint[limit]}.`, url];
}
