// Loaded with the first network failure of a browser or Workers transport, not up front:
// what the failure says about the call (method, URL without credentials, the runtime's code),
// as every other runtime's transport says it.
import { abortOf, annotate, type Input } from '@fetchstack/core/internal';

/** The error a failed call rejects with: the caller's abort reason untouched, else annotated. */
export function explained(error: unknown, input: Input, init: RequestInit | undefined): unknown {
  return error === abortOf(input, init)?.reason ? error : annotate(error, input, init);
}
