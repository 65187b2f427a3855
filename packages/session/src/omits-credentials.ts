// Whether a call goes without credentials: read by the auth layers (which then add none) and
// by the cache (which keeps such a call apart from those that carry them).
import { isRequest } from '@fetchstack/core/internal';

/** `credentials: 'omit'` (in `init`, or on a `Request` input): fetch then sends no credentials. */
export function omitsCredentials(
  input: string | URL | Request,
  init: RequestInit | undefined,
): boolean {
  return (init?.credentials ?? (isRequest(input) ? input.credentials : undefined)) === 'omit';
}
