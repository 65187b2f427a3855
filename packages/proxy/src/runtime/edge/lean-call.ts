// What the small error classes of the browser and Workers builds share: a call's method and
// URL with credentials hidden (a smaller cousin of core's describeCall and redactUrl), and
// the guards. See lean-errors.ts for why these builds carry no URL machinery.
import { type FetchstackError, isErrorNamed } from '@fetchstack/core';

export type Input = string | URL | Request;

/**
 * `url` with its user name and password replaced by `***`, and the values of secret query
 * parameters (names containing token, secret, key, auth, password or cookie) by `***`.
 * Unlike redactUrl it works on the text as given: names are not percent-decoded.
 */
export const hide = (url: string): string =>
  url
    .replace(/^([a-z][\w+.-]*:\/\/)[^/?#]*@/i, '$1***@')
    .replace(/([?&][^=&#]*(?:token|secret|key|auth|password|cookie)[^=&#]*=)[^&#]*/gi, '$1***');

/** The call's method (upper-cased as fetch does for the standard six) and hidden URL. */
export function at(input: Input, init: RequestInit | undefined): { method: string; url: string } {
  const method = init?.method ?? (input as Request).method ?? 'GET';
  return {
    method: /^(delete|get|head|options|post|put)$/i.test(method) ? method.toUpperCase() : method,
    url: hide(String((input as Request).url ?? input)),
  };
}

export const label = (call: { method: string; url: string }): string =>
  `${call.method} ${call.url}`;

export const guard =
  <T extends FetchstackError>(name: T['name']) =>
  (error: unknown): error is T =>
    isErrorNamed<T>(error, name);
