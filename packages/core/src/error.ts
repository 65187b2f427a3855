const brand = Symbol.for('fetchstack.error');

/**
 * The stable codes of fetchstack's errors (network failures stay the platform's
 * `TypeError`, as fetch rejects with, and carry the runtime's own `code`).
 */
export type FetchstackErrorCode =
  | 'BAD_TOKEN'
  | 'DIGEST_BAD_CHALLENGE'
  | 'DIGEST_UNSUPPORTED_ALGORITHM'
  | 'DIGEST_UNSUPPORTED_QOP'
  | 'REFRESH_REFUSED'
  | 'CACHE_STORE_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'COOKIE_JAR_UNAVAILABLE'
  | 'PROXY_REFUSED'
  | 'PROXY_UNREACHABLE'
  | 'PROXY_UNSUPPORTED'
  | 'BAD_LOCATION'
  | 'BODY_NOT_REPLAYABLE'
  | 'TOO_MANY_REDIRECTS'
  | 'UNEXPECTED_REDIRECT'
  | 'RETRIES_EXHAUSTED'
  | 'SESSION_CLOSED'
  | 'TIMEOUT'
  | 'TRANSPORT_CLOSED'
  // Room for the codes of packages that come later, without a breaking change of this type.
  | (string & {});

/** What every fetchstack error is built from. */
export interface FetchstackErrorOptions {
  /**
   * The method and URL of the request the error is about, credentials removed: build it
   * with `describeCall(input, init)` from `@fetchstack/core/internal`. (Not computed here,
   * so that an error about no request keeps URL parsing out of a browser bundle.)
   */
  at?: { method: string; url: string } | undefined;
  /** The underlying error or response. */
  cause?: unknown;
}

/**
 * The base of every error class fetchstack defines. Each has a stable `name` and `code`,
 * and, when it is about a request, that request's `method` and `url` with credentials
 * removed. `isFetchstackError(e)` recognises one from any copy of the packages, in any
 * realm (it checks a registered brand, not the class).
 *
 * @example
 * try { await session('users/me'); } catch (e) {
 *   if (isFetchstackError(e)) console.error(e.code, e.method, e.url, e.message);
 * }
 */
export class FetchstackError extends Error {
  override name = 'FetchstackError';
  /** A stable code: `'TIMEOUT'`, `'RETRIES_EXHAUSTED'`, `'TOO_MANY_REDIRECTS'`, ... */
  declare readonly code: FetchstackErrorCode;
  /** The request's method, when the error is about a request. */
  declare readonly method: string | undefined;
  /** The request's URL with credentials removed, when the error is about a request. */
  declare readonly url: string | undefined;

  constructor(code: FetchstackErrorCode, message: string, options: FetchstackErrorOptions = {}) {
    // Error reads only `cause`, and only when the key is there.
    super(message, options);
    this.code = code;
    this.method = options.at?.method;
    this.url = options.at?.url;
  }

  /** The brand `isFetchstackError` checks: shared by every copy of the packages. */
  get [brand](): true {
    return true;
  }
}

/** True for any fetchstack error, from any copy of the packages and any realm. */
export function isFetchstackError(error: unknown): error is FetchstackError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [brand]?: unknown })[brand] === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * A guard for one error class: true for an error of that `name` that is a fetchstack
 * error (by brand), so it works across copies of a package and realms and narrows honestly.
 */
export function isErrorNamed<T extends FetchstackError>(
  error: unknown,
  name: T['name'],
): error is T {
  return isFetchstackError(error) && error.name === name;
}
