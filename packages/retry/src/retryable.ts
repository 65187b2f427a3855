// What the first try needs to know (engine.ts): whether the call may be retried at all, and
// whether a response asks for a retry. The rest of the policy (policy.ts) is read only after
// a try failed.
import type { Policy } from './options.js';

/** urllib3's RETRY_AFTER_STATUS_CODES: retried when they carry Retry-After, listed or not. */
const retryAfterStatuses = new Set([413, 429, 503]);

/** Whether a method may be retried at all under this policy. */
export function methodAllowed(policy: Policy, method: string): boolean {
  // The policy's methods are upper case, as most calls spell theirs: no new string for them.
  const { methods } = policy;
  return policy.limit > 0 && (methods.has(method) || methods.has(method.toUpperCase()));
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
