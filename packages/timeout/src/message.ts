// What a TimeoutError says: the call (credentials removed) and which limit fired, with a
// hint. Loaded when a call with a limit begins (`onDemand` in timeout-error.ts), so that
// `timeout()` alone does not carry URL redaction and these words until one can fire.
import { describeCall } from '@fetchstack/core/internal';
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

/** The message of a `TimeoutError` and the call it is about (`{ method, url }`, credentials removed). */
export function describeTimeout(
  limit: TimeoutLimit,
  ms: number,
  input: string | URL | Request,
  init: RequestInit | undefined,
): [string, { method: string; url: string }] {
  const at = describeCall(input, init);
  return [
    `${at.method} ${at.url} timed out: ${what[limit]} (${limit}: ${ms} ms); ${hint[limit]}.`,
    at,
  ];
}
