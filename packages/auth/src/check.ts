// The checks every factory makes when a layer is made, in one place: a bad argument or option
// throws a `TypeError` there and then (`basicAuth(user, pass): user must be ...`), naming it
// and what to change. A value passed is described by its type only, never its text or number:
// it may be a credential.
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

/**
 * Throws `TypeError` unless `ok`: `where: name must be <must>; got <got>.` (`got`: what the
 * value is, by default its type).
 */
export function need(
  ok: unknown,
  where: string,
  name: string,
  value: unknown,
  must: string,
  got = shown(value),
): void {
  if (!ok) fail(where, `${name} must be ${must}; got ${got}.`);
}

/** Throws the `TypeError` of a factory: `where: message`. */
export function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

/**
 * Checks the arguments of `basicAuth` and `digestAuth` (Basic's user may be empty but may not
 * contain a colon, Digest's may not be empty) and returns which origins may have the credentials.
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
  if (breaksHeader((user as string) + pass)) {
    fail(where, 'user and pass must not contain CR, LF or NUL.');
  }
  if (basic && (user as string).includes(':')) {
    fail(
      where,
      'user must not contain ":" (RFC 7617 splits user and password at the first colon).',
    );
  }
  return checkOptions(`${fn}(user, pass, options)`, opts, ['origins']);
}

/** What an entry of `options.origins` must be. */
const ORIGIN =
  "an origin like 'https://api.example.com' (scheme, host and port: no credentials, path, query or fragment; scope by path with a predicate)";

/**
 * Checks that `opts` is an object (or undefined) with only the options in `known`, and its
 * `origins`; returns which origins may have the credentials. The factory reads its other
 * options itself (each option is read once, so that what was checked is what is used).
 */
export function checkOptions<T extends ScopeOptions>(
  where: string,
  opts: T | undefined,
  known: readonly (keyof T & string)[],
): Allowed {
  if (opts !== undefined) {
    need(
      typeof opts === 'object' && opts && !Array.isArray(opts),
      where,
      'options',
      opts,
      'an object',
    );
    // At most three options: the message lists them all, which says what to write without
    // core's "did you mean" search (a fifth of this package in a browser).
    for (const key of Object.keys(opts)) {
      if (!known.includes(key as keyof T & string)) {
        fail(where, `unknown option "${key}". Known options: ${known.join(', ')}.`);
      }
    }
  }
  const origins: unknown = opts?.origins;
  need(
    origins === undefined || typeof origins === 'function' || Array.isArray(origins),
    where,
    'options.origins',
    origins,
    `an array, each ${ORIGIN}, or a function (url) => boolean`,
  );
  return typeof origins === 'function'
    ? (origins as Allowed)
    : (origins as unknown[] | undefined)?.map((entry, index) => {
        let url: URL | undefined;
        try {
          url = new URL(entry as string);
        } catch {
          // Not an absolute URL: said below.
        }
        // Only an origin serialises as itself and a `/`: no credentials, path, query or
        // fragment, and a scheme that has an origin (a `data:` or `file:` URL's origin is `null`).
        need(
          typeof entry === 'string' && url?.href === `${url?.origin}/`,
          where,
          `options.origins[${index}]`,
          entry,
          ORIGIN,
          typeof entry !== 'string'
            ? shown(entry)
            : url
              ? 'a URL that is more than an origin'
              : 'a string that is not an absolute URL',
        );
        return (url as URL).origin;
      });
}
