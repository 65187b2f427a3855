import { hasErrorName } from '@fetchstack/core/internal';

/**
 * Thrown by `CookieJar` methods in browsers, where the browser keeps the
 * cookies and a page cannot read or write the ones a server set (`HttpOnly`,
 * other origins). Never thrown on server runtimes or workerd.
 */
export class CookieJarUnavailableError extends Error {
  override name = 'CookieJarUnavailableError';
  readonly method: string;

  constructor(method: string) {
    super(
      `CookieJar#${method}: in a browser the browser's own cookie jar is used, and a page cannot read or change it from here. Use document.cookie or the Cookie Store API for the page's own cookies.`,
    );
    this.method = method;
  }
}

/** True for a `CookieJarUnavailableError`, also one from another copy of this package. */
export function isCookieJarUnavailableError(error: unknown): error is CookieJarUnavailableError {
  return (
    error instanceof CookieJarUnavailableError || hasErrorName(error, 'CookieJarUnavailableError')
  );
}
