// `baseUrl`: a base URL names a folder. `'https://api.example.com/v1'` and `'users/me'` give
// `https://api.example.com/v1/users/me` (as got and ky's `prefix` join them), not `/users/me`.
// Its check, when the session is made; a call's input is resolved against it by the per-call
// code (run.ts, `resolveInput`).

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
