// The session's `cookies` option: one jar for the whole session (every mount shares it). With
// the session's `store`, a fresh jar keeps its cookies in the store's shared part
// (`store.cookies`), so every session of the fleet has the same jar.

import { CookieJar, type CookiesOptions, cookies, isCookieJar } from '@fetchstack/cookies';
import { describeValue } from '@fetchstack/core/internal';
import type { SessionStore } from '../store.js';
import { asOption, type Layer, layer } from './layer.js';

/** `true` (a fresh jar), `false` (no cookie handling), or a jar to use. */
export type CookiesOption = boolean | NonNullable<CookiesOptions['jar']> | undefined;

export interface CookiesLayerOptions {
  /**
   * `true` (a fresh jar per session), `false` (no cookie handling at all), or a jar to use:
   * a `CookieJar` from `@fetchstack/cookies` or a tough-cookie `CookieJar` (used as it is;
   * `session.cookies` is then a fetchstack view of the same store). In browsers the
   * browser's own jar is used. With the session's `store`, `true` means the fleet's jar
   * (`store.cookies`); a jar given here is used as it is, and stays this session's own.
   * @default true
   * @example createSession({ cookies: CookieJar.fromJSON(saved) })
   */
  cookies?: CookiesOption;
}

/**
 * The session's jar: `jar` is what the cookie layer uses, `view` what `session.cookies`
 * shows. They are the same object, except for a tough-cookie jar from elsewhere: the layer
 * then uses it as it is (its own options and rules), and the view is a fetchstack
 * `CookieJar` over the same store.
 */
export interface SessionJar {
  readonly jar: NonNullable<CookiesOptions['jar']>;
  readonly view: CookieJar;
  readonly layer: ReturnType<typeof cookies>;
  /** Resolves once what the jar wrote to a shared store is there (`session.close()` waits). */
  flush(): Promise<void>;
  /** Whether the jar writes to a shared store (the session's `store`): then `flush` waits. */
  readonly shared: boolean;
}

/** The jar of a `cookies` value (`undefined` for `false`). Throws `TypeError` naming `where`. */
export function makeJar(
  option: CookiesOption,
  where: string,
  store?: SessionStore,
): SessionJar | undefined {
  if (option === false) return undefined;
  const fresh = option === undefined || option === true;
  // Checked here, not by `cookies()`, whose message speaks of its own `jar` option.
  if (!fresh && !isCookieJar(option)) {
    throw new TypeError(
      `${where}: "cookies" must be true, false or a CookieJar (from @fetchstack/cookies or tough-cookie); got ${describeValue(option)}.`,
    );
  }
  const shared = fresh ? store?.cookies : undefined;
  // `cookies()` checks the jar (ours, or any tough-cookie jar) and says what it accepts.
  const jar = fresh ? new CookieJar(shared) : option;
  const made = asOption(where, 'cookies', () => cookies({ jar }));
  const view = jar instanceof CookieJar ? jar : new CookieJar(jar.store, rulesOf(jar));
  return { jar, view, layer: made, flush: async () => shared?.flush?.(), shared: !!shared };
}

/**
 * The rules a tough-cookie jar was made with, as its own serialisation states them, so that
 * `session.cookies` (a view over the same store) follows them too. A jar whose store cannot be
 * read at once (an async one) leaves the view with tough-cookie's defaults.
 */
function rulesOf(jar: object): ConstructorParameters<typeof CookieJar>[1] {
  let saved: Record<string, unknown> | undefined;
  try {
    saved = (
      jar as { serializeSync?: () => Record<string, unknown> | undefined }
    ).serializeSync?.();
  } catch {
    return undefined;
  }
  if (!saved) return undefined;
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
  return {
    rejectPublicSuffixes: flag(saved.rejectPublicSuffixes),
    looseMode: flag(saved.enableLooseMode),
    allowSpecialUseDomain: flag(saved.allowSpecialUseDomain),
    prefixSecurity: saved.prefixSecurity as 'strict' | 'silent' | 'unsafe-disabled' | undefined,
  };
}

export const cookiesLayer: Layer<CookiesLayerOptions, false, false> = layer({
  name: 'cookies',
  options: ['cookies'],
  // The jar is made with the session (from `cookies` and `store`); a mount shares it.
  reads: ['store'],
  mount: false,
  perCall: false,
  build: (_values: CookiesLayerOptions, site) => site.session.jar?.layer,
});
