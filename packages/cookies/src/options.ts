import {
  assertKnownKeys,
  assertOptionsObject,
  type Credentials,
  failOption,
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
   * The `credentials` mode when the call does not say (`init.credentials`, or a `Request`
   * made with `'omit'` or `'include'`). On servers and workers: `'omit'` sends and stores no
   * cookies; `'include'` and `'same-origin'` use the jar (a server has no origin of its own).
   * In browsers it is the `credentials` passed to fetch, and left out the call goes with its
   * own, as fetch does (fetch's default, `'same-origin'`: the browser's jar for the page's
   * own origin only). `'include'` sends the browser's cookies to other origins too, and
   * those servers must answer CORS with credentials (`Access-Control-Allow-Credentials:
   * true` and the page's origin, never `*`).
   *
   * @default 'include' on servers and workers (the jar is used); the call's own in browsers
   * @example
   * cookies({ credentials: 'include' }) // browsers: cross-origin calls carry the browser's cookies too
   */
  credentials?: Credentials;
}

const credentialModes = ['omit', 'same-origin', 'include'];

/**
 * Checks the options; returns the credentials default (`undefined`: the call's own, the
 * browser build's default). Throws TypeError naming the bad option.
 */
export function readOptions<D extends Credentials | undefined>(
  options: CookiesOptions,
  alsoAccept: (jar: unknown) => boolean,
  fallback: D,
): Credentials | D {
  assertOptionsObject(options, 'cookies(options)');
  assertKnownKeys(options, ['jar', 'credentials'], 'cookies(options)');
  const { jar, credentials } = options;
  if (jar !== undefined && !isToughJar(jar) && !alsoAccept(jar)) {
    failOption(
      'cookies(options)',
      'jar',
      'a CookieJar from @fetchstack/cookies or tough-cookie (leave it out for a fresh jar)',
      jar,
    );
  }
  if (credentials === undefined) return fallback;
  if (!credentialModes.includes(credentials)) {
    failOption(
      'cookies(options)',
      'credentials',
      "'omit', 'same-origin' or 'include'",
      credentials,
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
  fallback: Credentials,
): Credentials {
  if (init?.credentials !== undefined) return init.credentials;
  if (isRequest(input) && input.credentials !== 'same-origin' && input.credentials !== undefined) {
    return input.credentials;
  }
  return fallback;
}
