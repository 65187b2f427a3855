import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  isRequest,
} from '@fetchstack/core/internal';
import type { CookieJar as ToughCookieJar } from 'tough-cookie';
import type { CookieJar } from './jar.js';

/** Options of `cookies()`. */
export interface CookiesOptions {
  /**
   * Where cookies are kept: a fetchstack `CookieJar` or any tough-cookie
   * `CookieJar` (its store, options and public-suffix rules are used as they are).
   * Without it, each `cookies()` call makes its own empty jar: two wrappers
   * never share cookies by accident. In browsers it is not used (the browser's
   * own jar is).
   *
   * @default new CookieJar()
   * @example
   * const jar = new CookieJar();
   * const f = wrap(fetch, cookies({ jar }));
   * await jar.get('session', 'https://example.com/');
   */
  jar?: CookieJar | ToughCookieJar;
  /**
   * Whether the jar is used when the call does not say (`init.credentials`, or
   * a `Request` made with `'omit'` or `'include'`). `'omit'` sends and stores no
   * cookies; `'include'` and `'same-origin'` use the jar (a server has no origin
   * of its own). In browsers this is the `credentials` passed to fetch, so the
   * browser's jar is used for other origins too (the server must answer CORS
   * with credentials).
   *
   * @default 'include'
   * @example
   * cookies({ credentials: 'same-origin' }) // browsers: only same-origin calls carry cookies
   */
  credentials?: RequestCredentials;
}

const credentialModes = ['omit', 'same-origin', 'include'];

/** Checks the options; returns the credentials default. Throws TypeError naming the bad option. */
export function readOptions(
  options: CookiesOptions,
  alsoAccept: (jar: unknown) => boolean = () => false,
): RequestCredentials {
  assertOptionsObject(options, 'cookies(options)');
  assertKnownKeys(options, ['jar', 'credentials'], 'cookies(options)');
  const { jar, credentials = 'include' } = options;
  if (jar !== undefined && !isToughJar(jar) && !alsoAccept(jar)) {
    throw new TypeError(
      `cookies(options): jar must be a CookieJar from @fetchstack/cookies or tough-cookie, got ${describeValue(jar)}. Leave it out for a fresh jar.`,
    );
  }
  if (!credentialModes.includes(credentials as string)) {
    throw new TypeError(
      `cookies(options): credentials must be 'omit', 'same-origin' or 'include', got ${describeValue(credentials)}.`,
    );
  }
  return credentials;
}

/**
 * True for a jar `cookies({ jar })` and `createSession({ cookies })` accept: a tough-cookie
 * `CookieJar` (ours extends it), recognised by shape so other copies of tough-cookie work too.
 */
export function isToughJar(value: unknown): value is ToughCookieJar {
  const v = value as Partial<ToughCookieJar> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.getCookieString === 'function' &&
    typeof v.setCookie === 'function'
  );
}

/**
 * The credentials mode of a call: `init.credentials`, else a Request's own
 * when it is not fetch's default (`'same-origin'` cannot be told apart from
 * "not set"), else the wrapper's default.
 */
export function credentialsOf(
  input: string | URL | Request,
  init: RequestInit | undefined,
  fallback: RequestCredentials,
): RequestCredentials {
  if (init?.credentials !== undefined) return init.credentials;
  if (isRequest(input) && input.credentials !== 'same-origin' && input.credentials !== undefined) {
    return input.credentials;
  }
  return fallback;
}
