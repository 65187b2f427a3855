// The checks every factory makes when a layer is made, in one place: a bad argument or option
// throws a `TypeError` there and then (`basicAuth(user, pass): user must be ...`), naming it
// and what to change. A value passed is described by its type only, never its text or number:
// it may be a credential.
import { assertKnownKeys } from '@fetchstack/core/internal';
import type { Allowed, ScopeOptions } from './scope.js';

/** True for a value a header cannot carry: CR, LF or NUL would split headers. */
function breaksHeader(value: string): boolean {
  return /[\r\n\0]/.test(value);
}

/** True for a token `Authorization` can carry: a non-empty string without CR, LF or NUL. */
export function isToken(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !breaksHeader(value);
}

/**
 * What `value` is, for a message: its type, never its text or number (a password may be a
 * number by mistake, and a string may be a credential).
 */
export function shown(value: unknown): string {
  return value === ''
    ? 'an empty string'
    : typeof value === 'string' && breaksHeader(value)
      ? 'a string with CR, LF or NUL'
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : typeof value;
}

/** Throws `TypeError` unless `ok`: `where: name must be <must>; got <what value is>.` */
export function need(ok: unknown, where: string, name: string, value: unknown, must: string): void {
  if (!ok) fail(where, `${name} must be ${must}; got ${shown(value)}.`);
}

/** Throws the `TypeError` of a factory: `where: message`. */
export function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

/**
 * Checks the arguments of `basicAuth` and `digestAuth` (Basic's user may be empty, Digest's
 * may not) and returns which origins may have the credentials.
 */
export function checkUserPass(
  fn: 'basicAuth' | 'digestAuth',
  user: unknown,
  pass: unknown,
  opts: ScopeOptions | undefined,
): Allowed {
  const where = `${fn}(user, pass)`;
  const basic = fn === 'basicAuth';
  need(
    typeof user === 'string' && (basic || user),
    where,
    'user',
    user,
    `a ${basic ? '' : 'non-empty '}string`,
  );
  need(typeof pass === 'string', where, 'pass', pass, "a string (use '' for none)");
  if (breaksHeader(`${user}${pass}`)) {
    fail(where, 'user and pass must not contain CR, LF or NUL.');
  }
  return checkOptions(`${fn}(user, pass, options)`, opts, ['origins']).allowed;
}

/** What an entry of `options.origins` must be. */
const ORIGIN =
  "an origin like 'https://api.example.com' (scheme, host and port: no credentials, path, query or fragment; scope by path with a predicate)";

/** What each option must be when set: [test, what it must be]. */
const OPTIONS: Record<string, [ok: (value: any) => unknown, must: string]> = {
  origins: [
    (value) => typeof value === 'function' || Array.isArray(value),
    `an array, each ${ORIGIN}, or a function (url) => boolean`,
  ],
  refresh: [(value) => typeof value === 'function', 'a function returning the new token'],
  shared: [(value) => typeof value?.refresh === 'function', 'a shared token (redisStore.tokens())'],
};

/**
 * Checks a factory's options (`known`: the ones it takes, each checked by `OPTIONS`) and
 * returns them as they were checked (each read once), with `allowed`: which origins may have
 * the credentials.
 */
export function checkOptions<T extends ScopeOptions>(
  where: string,
  opts: T | undefined,
  known: readonly (keyof T & string)[],
): Partial<T> & { allowed: Allowed } {
  const checked: Record<string, unknown> = {};
  if (opts !== undefined) {
    need(
      typeof opts === 'object' && opts && !Array.isArray(opts),
      where,
      'options',
      opts,
      'an object',
    );
    assertKnownKeys(opts, known, where);
    for (const key of known) {
      const value = opts[key];
      const [ok, must] = OPTIONS[key]!;
      need(value === undefined || ok(value), where, `options.${key}`, value, must);
      checked[key] = value;
    }
  }
  checked.allowed = allowedOrigins(checked.origins, where);
  return checked as Partial<T> & { allowed: Allowed };
}

/** What decides which origins may have the credentials, from `origins` (checked but its entries). */
function allowedOrigins(origins: unknown, where: string): Allowed {
  if (typeof origins === 'function') {
    // A copy, so a predicate that changes the URL cannot change the request.
    return (url) => origins(new URL(url.href)) === true;
  }
  if (!origins) return undefined;
  const allowed = new Set(
    (origins as unknown[]).map((entry, index) => {
      let url: URL | undefined;
      try {
        url = new URL(entry as string);
      } catch {
        // Not an absolute URL: said below.
      }
      // Only an origin serialises as itself and a `/`: no credentials, path, query or fragment,
      // and a scheme that has an origin (a `data:` or `file:` URL's origin is `null`).
      if (typeof entry !== 'string' || url?.href !== `${url?.origin}/`) {
        fail(
          where,
          `options.origins[${index}] must be ${ORIGIN}; got ${typeof entry !== 'string' ? shown(entry) : url ? 'a URL that is more than an origin' : 'a string that is not an absolute URL'}.`,
        );
      }
      return (url as URL).origin;
    }),
  );
  return (url) => allowed.has(url.origin);
}
