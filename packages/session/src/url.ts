// `baseUrl`: a base URL names a folder. `'https://api.example.com/v1'` and `'users/me'` give
// `https://api.example.com/v1/users/me` (as got and ky's `prefix` join them), not `/users/me`.

import { describeUrlValue } from '@fetchstack/core/internal';

/**
 * The `baseUrl` option as a folder URL (its path ends with `/`), or `undefined`.
 * Throws `TypeError` naming `where` for anything but an absolute http(s) URL.
 */
export function parseBaseUrl(value: unknown, where: string): URL | undefined {
  if (value === undefined) return undefined;
  const text = value instanceof URL ? value.href : typeof value === 'string' ? value : undefined;
  let url: URL | undefined;
  if (text !== undefined) {
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
  }
  // fetch refuses a URL with credentials in it, so every call would fail; the message does not
  // repeat the URL (its password).
  if (url && (url.username || url.password)) {
    throw new TypeError(
      `${where}: "baseUrl" must not hold a user name or password (fetch refuses such URLs): pass them as auth: [user, password].`,
    );
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `${where}: "baseUrl" must be an absolute http(s) URL (a string or URL) such as 'https://api.example.com/v1/'; got ${describeUrlValue(value)}.`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/**
 * The URL a call goes to: a relative string input extends the base folder (`'users/me'`,
 * `'./users'`, `'../v2/x'`, `'?q=1'`); one starting with `/` or a scheme resolves as a URL
 * does (`'/health'` starts from the origin). `URL` and `Request` inputs are left alone (they
 * are absolute already), and so is every input when there is no base.
 */
export function resolveInput(
  input: string | URL | Request,
  base: URL | undefined,
): string | URL | Request {
  if (!base || typeof input !== 'string') return input;
  try {
    return new URL(input, base).href;
  } catch {
    // Not a URL even against the base ('http://'): the fetch beneath refuses it with its own
    // TypeError, as fetch itself would.
    return input;
  }
}
