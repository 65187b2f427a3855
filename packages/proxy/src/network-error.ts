// A network failure rejects with a TypeError, as fetch does (clients detect network errors
// by that), which also says which request failed and, where the runtime says, why.
import { annotate, type Input } from '@fetchstack/core/internal';

/** What the transport adds to a network failure. */
export interface NetworkErrorInfo {
  /** The request's method. */
  method: string;
  /** The request's URL, credentials removed. */
  url: string;
  /** The runtime's code for the failure (`'ECONNREFUSED'`, `'ENOTFOUND'`, ...), when it gives one. */
  code?: string;
}

/** `TypeError: fetch failed` with `cause`, `method`, `url` and `code`: Node's fetch's shape. */
export function networkError(
  cause: unknown,
  input: Input,
  init: RequestInit | undefined,
): TypeError {
  return annotate(new TypeError('fetch failed', { cause }), input, init);
}
