import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  redactUrl,
} from '@fetchstack/core/internal';
import {
  Cookie,
  type CreateCookieJarOptions,
  type SerializedCookieJar,
  type Store,
  CookieJar as ToughCookieJar,
} from 'tough-cookie';

/**
 * A stored cookie: tough-cookie's `Cookie` (a copy: changing it does not change
 * the jar) with `name` as an alias of tough-cookie's `key`.
 */
export type JarCookie = Cookie & { readonly name: string };

/** Options of `CookieJar#set`. */
export interface CookieSetOptions {
  /**
   * The host the cookie belongs to. It is stored as a domain cookie (as
   * `Domain=` in a `Set-Cookie`), so it is also sent to subdomains. A public
   * suffix (`com`, `co.uk`) is refused.
   * @example 'example.com'
   */
  domain: string;
  /** @default '/' */
  path?: string;
  /** Only sent over HTTPS (and to loopback hosts, which count as secure). @default false */
  secure?: boolean;
  /** @default false */
  httpOnly?: boolean;
  /** When it expires. Without `expires` or `maxAge` it lasts as long as the jar. @default undefined */
  expires?: Date;
  /** Seconds until it expires; wins over `expires`, as in a `Set-Cookie`. @default undefined */
  maxAge?: number;
  /** @default undefined (no SameSite attribute) */
  sameSite?: 'strict' | 'lax' | 'none';
}

/** Options of `CookieJar#delete`. */
export interface CookieDeleteOptions {
  /** Only cookies stored for this domain, read as `set` reads it (leading dot ignored). @default every domain */
  domain?: string;
  /** Only cookies with exactly this path. @default every path */
  path?: string;
}

/**
 * tough-cookie's `CookieJar` (RFC 6265: domain, host-only, path, `Secure`,
 * expiry, public suffixes) with a small API on top. Being a tough-cookie jar,
 * it goes wherever one is accepted, and `JSON.stringify(jar)` saves it.
 *
 * @example
 * const jar = new CookieJar();
 * await jar.set('locale', 'fr-FR', { domain: 'example.com' });
 * (await jar.get('locale', 'https://example.com/'))?.value; // 'fr-FR'
 * const saved = JSON.stringify(jar);
 * const again = CookieJar.fromJSON(saved);
 */
export class CookieJar extends ToughCookieJar {
  constructor(store?: Store | null, options?: CreateCookieJarOptions | boolean) {
    super(store, options);
  }

  /** Stores a cookie as if `domain` had sent it. Rejects (TypeError) on a bad name, value or domain. */
  async set(name: string, value: string, options: CookieSetOptions): Promise<JarCookie> {
    if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new TypeError(
        `CookieJar#set: the name must be a token (letters, digits, !#$%&'*+-.^_\`|~), got ${JSON.stringify(name)}.`,
      );
    }
    if (typeof value !== 'string' || hasForbiddenChar(value)) {
      throw new TypeError(
        'CookieJar#set: the value must be a string without ";" or control characters.',
      );
    }
    // A misspelt key (`secur`) or a flag that is not a boolean would store a cookie other than
    // the one asked for (one that goes over plain HTTP): refused, never dropped.
    assertOptionsObject(options, 'CookieJar#set');
    assertKnownKeys(options ?? {}, setKeys, 'CookieJar#set');
    for (const flag of ['secure', 'httpOnly'] as const) {
      if (options?.[flag] !== undefined && typeof options[flag] !== 'boolean') {
        throw new TypeError(
          `CookieJar#set: options.${flag} must be true or false, got ${describeValue(options[flag])}.`,
        );
      }
    }
    const sameSite =
      typeof options?.sameSite === 'string' ? options.sameSite.toLowerCase() : options?.sameSite;
    if (sameSite !== undefined && !sameSites.includes(sameSite)) {
      throw new TypeError(
        `CookieJar#set: options.sameSite must be 'strict', 'lax' or 'none', got ${describeValue(options.sameSite)}.`,
      );
    }
    if (typeof options?.domain !== 'string' || options.domain.replace(/^\./, '') === '') {
      throw new TypeError(
        "CookieJar#set: options.domain is required (the host the cookie belongs to, e.g. 'example.com').",
      );
    }
    const domain = storedDomain(options.domain, 'CookieJar#set');
    const path = options.path ?? '/';
    if (!path.startsWith('/')) {
      throw new TypeError(
        `CookieJar#set: options.path must start with "/", got ${JSON.stringify(path)}.`,
      );
    }
    if (
      options.expires !== undefined &&
      !(options.expires instanceof Date && !Number.isNaN(options.expires.getTime()))
    ) {
      throw new TypeError(
        `CookieJar#set: options.expires must be a valid Date (such as new Date(Date.now() + 3_600_000)); for a number of seconds, use options.maxAge.`,
      );
    }
    if (
      options.maxAge !== undefined &&
      (typeof options.maxAge !== 'number' || !Number.isFinite(options.maxAge))
    ) {
      throw new TypeError(
        `CookieJar#set: options.maxAge must be a number of seconds, got ${JSON.stringify(options.maxAge)}.`,
      );
    }
    const secure = options.secure ?? false;
    const cookie = new Cookie({
      key: name,
      value,
      domain,
      path,
      secure,
      httpOnly: options.httpOnly ?? false,
      ...(options.expires !== undefined && { expires: options.expires }),
      ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
      ...(sameSite !== undefined && { sameSite }),
    });
    const host = domain.includes(':') ? `[${domain}]` : domain;
    let stored: Cookie | undefined;
    try {
      stored = await this.setCookie(cookie, `${secure ? 'https' : 'http'}://${host}${path}`, {
        http: true,
      });
    } catch (error) {
      throw new TypeError(`CookieJar#set(${JSON.stringify(name)}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!stored)
      throw new TypeError(`CookieJar#set(${JSON.stringify(name)}): the jar refused the cookie.`);
    return named(stored);
  }

  /** The cookie called `name` that a request to `url` would carry (the most specific path first), or `undefined`. */
  async get(name: string, url: string | URL): Promise<JarCookie | undefined> {
    checkUrl(url, `CookieJar#get(${JSON.stringify(name)})`);
    const found = (await this.getCookies(String(url))).find((c) => c.key === name);
    return found && named(found);
  }

  /** The cookies a request to `url` would carry; without `url`, every unexpired cookie in the jar. */
  async all(url?: string | URL): Promise<JarCookie[]> {
    if (url !== undefined) {
      checkUrl(url, 'CookieJar#all(url)');
      return (await this.getCookies(String(url))).map(named);
    }
    const now = Date.now();
    const every = await this.store.getAllCookies();
    // As a request's lookup judges them (`TTL()` would ignore when a Max-Age cookie was stored).
    return every
      .filter((c) => {
        const expires = c.expiryTime();
        return expires === undefined || expires > now;
      })
      .map(named);
  }

  /** Removes the cookies called `name` (for `domain` and `path` when given); resolves to how many went. */
  async delete(name: string, options: CookieDeleteOptions = {}): Promise<number> {
    // A misspelt key would widen the delete to every domain or path: refused.
    assertOptionsObject(options, 'CookieJar#delete');
    assertKnownKeys(options, deleteKeys, 'CookieJar#delete');
    for (const key of deleteKeys) {
      if (options[key] !== undefined && typeof options[key] !== 'string') {
        throw new TypeError(
          `CookieJar#delete: options.${key} must be a string, got ${describeValue(options[key])}.`,
        );
      }
    }
    // Spelt as `set` stores it, so the domain given to `set` finds its cookies.
    const domain =
      options.domain === undefined ? undefined : storedDomain(options.domain, 'CookieJar#delete');
    let removed = 0;
    for (const c of await this.store.getAllCookies()) {
      if (c.key !== name) continue;
      if (domain !== undefined && c.domain !== domain) continue;
      if (options.path !== undefined && c.path !== options.path) continue;
      await this.store.removeCookie(c.domain, c.path, c.key);
      removed += 1;
    }
    return removed;
  }

  /** Removes every cookie. */
  async clear(): Promise<void> {
    await this.removeAllCookies();
  }

  /**
   * A jar from what `JSON.stringify(jar)` (or `jar.toJSON()`) saved: a JSON
   * string or the parsed object. Works for any tough-cookie jar's serialization.
   * Anything else is a `TypeError` that says what to pass (and never repeats what was given).
   */
  static override fromJSON(json: string | SerializedCookieJar, store?: Store): CookieJar {
    // tough-cookie keeps the jar's settings in fields its types mark private: read them as such.
    const base = ToughCookieJar.deserializeSync(savedJar(json), store) as unknown as JarSettings;
    return new CookieJar(base.store, {
      rejectPublicSuffixes: base.rejectPublicSuffixes,
      looseMode: base.enableLooseMode,
      allowSpecialUseDomain: base.allowSpecialUseDomain,
      allowSecureOnLocal: base.allowSecureOnLocal,
      enforceSecureOriginOnStorage: base.enforceSecureOriginOnStorage,
      prefixSecurity: base.prefixSecurity,
    });
  }
}

/** The settings a deserialized tough-cookie jar holds (private fields in its types). */
interface JarSettings {
  store: Store;
  rejectPublicSuffixes: boolean;
  enableLooseMode: boolean;
  allowSpecialUseDomain: boolean;
  allowSecureOnLocal: boolean;
  enforceSecureOriginOnStorage: boolean;
  prefixSecurity: CreateCookieJarOptions['prefixSecurity'];
}

const setKeys = ['domain', 'path', 'secure', 'httpOnly', 'expires', 'maxAge', 'sameSite'];
const sameSites: readonly unknown[] = ['strict', 'lax', 'none'];
const deleteKeys = ['domain', 'path'] as const;

/**
 * A domain option as the jar stores (and a request's host is compared in) it: no leading dot,
 * lower case, an IPv6 address without the brackets a URL's `hostname` has, and an international
 * name in its ASCII (punycode) form. A URL, a port or a path is a `TypeError` naming `where`.
 */
function storedDomain(given: string, where: string): string {
  let domain = given.replace(/^\./, '').toLowerCase();
  if (/^\[[0-9a-f:.]+\]$/.test(domain)) domain = domain.slice(1, -1);
  // A URL or host:port where a host is expected (an IPv6 address, with its colons, is a host).
  if (/^[a-z][a-z0-9+.-]*:\/\/|[/?#[\]]/.test(domain) || /^[^:]+:\d+$/.test(domain)) {
    throw new TypeError(
      `${where}: options.domain must be a host name without scheme, port or path (such as 'example.com'), got ${JSON.stringify(redactUrl(given))}.`,
    );
  }
  if (!domain.includes(':') && /[\u0080-\uffff]/.test(domain)) {
    try {
      domain = new URL(`http://${domain}/`).hostname;
    } catch {
      throw new TypeError(
        `${where}: options.domain must be a host name, got ${JSON.stringify(given)}.`,
      );
    }
  }
  return domain;
}

/** Throws a `TypeError` naming `where` unless `url` is an absolute URL (shown with credentials removed). */
function checkUrl(url: string | URL | undefined, where: string): void {
  if (url === undefined || !URL.canParse(String(url))) {
    throw new TypeError(
      `${where}: pass the absolute URL of a request the cookie would go with (such as 'https://example.com/'), got ${url === undefined ? 'none' : JSON.stringify(redactUrl(String(url)))}.`,
    );
  }
}

/**
 * What `fromJSON` was given, parsed: a saved jar (an object with a `cookies` array). Anything
 * else is a `TypeError` that describes it without its text: a saved jar holds cookie values,
 * and the platform's JSON error would quote them (`Unexpected token 's', "sid=..." is not valid JSON`).
 */
function savedJar(json: unknown): SerializedCookieJar {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      notSavedJar(json.trim() === '' ? 'an empty string' : 'a string that is not JSON');
    }
  }
  if (Array.isArray((value as { cookies?: unknown } | null)?.cookies)) {
    return value as SerializedCookieJar;
  }
  const what =
    value === null || value === undefined
      ? String(value)
      : typeof value === 'object'
        ? 'an object without a "cookies" array'
        : `a ${typeof value}`;
  notSavedJar(typeof json === 'string' ? `JSON of ${what}` : what);
}

function notSavedJar(got: string): never {
  throw new TypeError(
    `CookieJar.fromJSON(json): json must be what JSON.stringify(jar) or jar.toJSON() saved (an object with a "cookies" array, or its JSON text); got ${got}.`,
  );
}

/** `;` ends a cookie's value; control characters are never valid in one. */
function hasForbiddenChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x3b) return true;
  }
  return false;
}

function named(cookie: Cookie): JarCookie {
  const copy = cookie.clone() ?? cookie;
  Object.defineProperty(copy, 'name', {
    get(this: Cookie) {
      return this.key;
    },
    enumerable: true,
    configurable: true,
  });
  return copy as JarCookie;
}
