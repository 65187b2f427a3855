import { describeValue } from '@fetchstack/core/internal';

/**
 * Which origins may receive the credentials: a list of origins
 * (`'https://api.example.com'`) or a predicate called with each request's URL.
 */
export type Origins = readonly string[] | ((url: URL) => boolean);

/** Options every auth layer takes. */
export interface ScopeOptions {
  /**
   * The origins that may receive the credentials: an array of origins
   * (`'https://api.example.com'`, scheme + host + port; a trailing `/` is fine, a longer path is not)
   * or a predicate `(url: URL) => boolean` called for each request.
   *
   * When omitted, every origin the caller asks for directly gets them. Either way, a
   * redirect hop to an origin other than the one the caller asked for never does
   * (credentials never follow a redirect to another origin), even a listed one.
   *
   * @default undefined (the origin the caller asked for, never a redirect's other origin)
   * @example
   * basicAuth('user', 'pass', { origins: ['https://api.example.com'] })
   * bearerAuth(token, { origins: (url) => url.hostname.endsWith('.example.com') })
   */
  origins?: Origins;
}

/** Which origins may have the credentials; `undefined`: every origin the caller asks for. */
export type Allowed = ((url: URL) => boolean) | undefined;

/**
 * Checks `origins` (a `TypeError` naming `where`) and returns what decides which origins may
 * have the credentials. Each call's decision is made by the per-call code (calls.ts).
 */
export function allowedOrigins(origins: unknown, where: string): Allowed {
  if (origins === undefined) return undefined;
  if (typeof origins === 'function') {
    const predicate = origins as (url: URL) => unknown;
    return function predicateScope(url: URL) {
      // A copy, so a predicate that changes the URL cannot change the request.
      return predicate(new URL(url.href)) === true;
    };
  }
  if (!Array.isArray(origins)) {
    throw new TypeError(
      `${where}: options.origins must be an array of origins (like 'https://api.example.com') or a function (url) => boolean; got ${describeValue(origins)}.`,
    );
  }
  const allowed = new Set<string>();
  origins.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      throw new TypeError(
        `${where}: options.origins[${index}] must be a string origin like 'https://api.example.com'; got ${describeValue(entry)}.`,
      );
    }
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new TypeError(
        `${where}: options.origins[${index}] is not an absolute URL; write an origin like 'https://api.example.com'.`,
      );
    }
    if (parsed.origin === 'null') {
      throw new TypeError(
        `${where}: options.origins[${index}] has no origin (scheme ${parsed.protocol}); use http: or https: origins.`,
      );
    }
    if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) {
      throw new TypeError(
        `${where}: options.origins[${index}] has a path, query or fragment; origins are scheme, host and port only (use a predicate to scope by path).`,
      );
    }
    if (parsed.username || parsed.password) {
      throw new TypeError(`${where}: options.origins[${index}] must not contain credentials.`);
    }
    allowed.add(parsed.origin);
  });
  return function listScope(url: URL) {
    return allowed.has(url.origin);
  };
}

/** The header-safe check for credentials: no CR, LF or NUL (which would split headers). */
export function hasLineBreak(value: string): boolean {
  return /[\r\n\0]/.test(value);
}
