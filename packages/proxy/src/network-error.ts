// A network failure rejects with a TypeError, as fetch does (clients detect network errors
// by that), which also says which request failed and, where the runtime says, why.
import { describeCall, type Input } from '@fetchstack/core/internal';

/** What the transport adds to a network failure. */
export interface NetworkErrorInfo {
  /** The request's method. */
  method: string;
  /** The request's URL, credentials removed. */
  url: string;
  /** The runtime's code for the failure (`'ECONNREFUSED'`, `'ENOTFOUND'`, ...), when it gives one. */
  code?: string;
}

/** The first `code` string along an error's `cause` chain (the runtime's own). */
export function codeOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Gives `error` the request's `method` and `url` (credentials removed) and the runtime's
 * `code`, unless it has them already; returns it. Properties it cannot take are skipped.
 */
export function annotate<E>(error: E, input: Input, init: RequestInit | undefined): E {
  if (typeof error !== 'object' || error === null) return error;
  const { method, url } = describeCall(input, init);
  const own = (value: unknown) => ({ value, writable: true, configurable: true });
  const props: PropertyDescriptorMap = {};
  if (!('method' in error)) props.method = own(method);
  if (!('url' in error)) props.url = own(url);
  const code = codeOf(error);
  if (code !== undefined && !('code' in error)) props.code = own(code);
  try {
    Object.defineProperties(error, props);
  } catch {
    // A frozen error keeps what it has.
  }
  return error;
}

/** `TypeError: fetch failed` with `cause`, `method`, `url` and `code`: Node's fetch's shape. */
export function networkError(
  cause: unknown,
  input: Input,
  init: RequestInit | undefined,
): TypeError {
  return annotate(new TypeError('fetch failed', { cause }), input, init);
}
