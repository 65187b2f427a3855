// What never appears in clear in a message or a log line.

/** Headers that carry credentials: never sent to another origin, always redacted. */
export const credentialHeaders: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
];

/**
 * Words that make a header or query parameter name secret (`x-api-key`, `access_token`,
 * `X-Amz-Credential`, `X-Amz-Signature`, `session_id`, `passwd`...), and names that are secret
 * as a whole (`sig`, `pw`, an OAuth `code`).
 */
const secretWords =
  /token|secret|key|auth|passw|cookie|credential|signature|session|jwt|csrf|xsrf/i;
const secretNames = /^(?:sig|pw|pwd|code|otp)$/i;

/**
 * True when a header or query parameter of this name is redacted by default:
 * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, any name containing
 * `token`, `secret`, `key`, `auth`, `passw`, `credential`, `signature`, `session`, `jwt`,
 * `csrf` or `xsrf`, and the names `sig`, `pw`, `pwd`, `code` and `otp`; plus the names in
 * `extra` (compared without case).
 */
export function isSecretName(name: string, extra?: readonly string[]): boolean {
  if (secretWords.test(name) || secretNames.test(name)) return true;
  if (!extra) return false;
  const lower = name.toLowerCase();
  return extra.some((e) => e.toLowerCase() === lower);
}

/**
 * The URL with any user name and password replaced by `***`, and the values of secret
 * query parameters (`?api_key=...`, see `isSecretName`) by `***`, for messages and logs.
 */
export function redactUrl(url: string | URL, extra?: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    // Not a URL (a relative one, say): hide what the URL parser would read as user info. It
    // drops tabs and newlines, accepts any run of "/" or "\\" (or none) after the scheme, and
    // takes the user info up to the LAST "@" before the path, query or fragment. Then the query.
    const text = String(url)
      .replace(/[\t\n\r]/g, '')
      .replace(/^([\0- ]*(?:[a-z][a-z0-9+.-]*:)?[\\/]*)[^/\\?#]*@/i, '$1***@');
    // The query, then a fragment written as parameters, each edited in place.
    let out = text;
    const hash = out.indexOf('#');
    if (hash !== -1) {
      const fragment = redactQuery(out.slice(hash + 1), extra);
      if (fragment !== undefined) out = `${out.slice(0, hash + 1)}${fragment}`;
    }
    const start = out.indexOf('?');
    if (start === -1 || (hash !== -1 && start > hash)) return out;
    const end = hash === -1 ? out.length : hash;
    const query = redactQuery(out.slice(start + 1, end), extra);
    return query === undefined ? out : `${out.slice(0, start + 1)}${query}${out.slice(end)}`;
  }
  if (!parsed.host && parsed.pathname.includes('@')) {
    // `user:pa55@example.com` parses as the scheme `user:`: hide what reads as user info.
    return `${parsed.protocol}***@${parsed.href.slice(parsed.href.lastIndexOf('@') + 1)}`;
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? '***' : '';
    parsed.password = parsed.password ? '***' : '';
  }
  if (parsed.search) {
    const query = redactQuery(parsed.search.slice(1), extra);
    if (query !== undefined) parsed.search = `?${query}`;
  }
  // A fragment written as parameters (`#access_token=...`, as OAuth's implicit flow returns
  // tokens): its secret values too. fetch never sends a fragment, but a message may show it.
  if (parsed.hash.includes('=')) {
    const fragment = redactQuery(parsed.hash.slice(1), extra);
    if (fragment !== undefined) parsed.hash = `#${fragment}`;
  }
  return parsed.href;
}

/**
 * A query (without its "?") with the values of secret parameters replaced by `***`, edited as
 * text so that names and order stay as the caller wrote them; `undefined` when none is secret.
 */
function redactQuery(search: string, extra: readonly string[] | undefined): string | undefined {
  const query = search.split('&');
  let changed = false;
  for (let i = 0; i < query.length; i++) {
    const pair = query[i] as string;
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    let name: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
    } catch {
      name = pair.slice(0, eq);
    }
    if (isSecretName(name, extra)) {
      query[i] = `${pair.slice(0, eq)}=***`;
      changed = true;
    }
  }
  return changed ? query.join('&') : undefined;
}

/** Headers whose value is a URL. */
const urlHeaders: ReadonlySet<string> = new Set(['location', 'content-location', 'referer']);

/**
 * Headers as `[name, value]` pairs with secret values (see `isSecretName`) replaced by
 * `[redacted]`. The scheme of `Authorization` and `Proxy-Authorization` (`Basic`,
 * `Bearer`) is kept: it helps debugging and reveals nothing. One pair per `Set-Cookie`. A URL
 * value (`Location`, `Content-Location`, `Referer`) keeps the URL with its secrets hidden.
 */
export function redactHeaders(headers: Headers, extra?: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    if (!isSecretName(name, extra)) {
      // A header whose value is a URL (a redirect's Location, say): its secrets as a URL's.
      out.push([name, urlHeaders.has(name) ? redactUrl(value, extra) : value]);
      return;
    }
    const scheme =
      name === 'authorization' || name === 'proxy-authorization'
        ? /^(\S+)\s/.exec(value)?.[1]
        : undefined;
    out.push([name, scheme ? `${scheme} [redacted]` : '[redacted]']);
  });
  const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  for (let i = 0; i < setCookies.length; i++) out.push(['set-cookie', '[redacted]']);
  if (setCookies.length === 0 && headers.has('set-cookie')) out.push(['set-cookie', '[redacted]']);
  return out;
}
