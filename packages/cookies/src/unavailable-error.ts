import { FetchstackError, isErrorNamed } from '@fetchstack/core';

/**
 * Thrown by `CookieJar` methods in browsers, where the browser keeps the
 * cookies and a page cannot read or write the ones a server set (`HttpOnly`,
 * other origins). Never thrown on server runtimes or workerd.
 */
export class CookieJarUnavailableError extends FetchstackError {
  override name = 'CookieJarUnavailableError' as const;
  /** The CookieJar method that was called (`getCookies`, ...); not an HTTP method. */
  declare readonly method: string;

  constructor(method: string) {
    super(
      'COOKIE_JAR_UNAVAILABLE',
      `CookieJar#${method}: in a browser the browser's own cookie jar is used, and a page cannot read or change it from here. Use document.cookie or the Cookie Store API for the page's own cookies.`,
    );
    // This error is about a jar method, not a request: `method` names the jar method.
    Object.defineProperty(this, 'method', { value: method, enumerable: true });
  }
}

/** True for a `CookieJarUnavailableError`, also one from another copy of this package. */
export function isCookieJarUnavailableError(error: unknown): error is CookieJarUnavailableError {
  return isErrorNamed<CookieJarUnavailableError>(error, 'CookieJarUnavailableError');
}
