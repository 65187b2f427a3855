// The session's `auth` option: `session.auth`, replaceable at any time (the layer asks for the
// current one at each request); a mount's `auth` replaces it for the URLs under its prefix.

import {
  type BearerAuthOptions,
  basicAuth,
  bearerAuth,
  type DigestAuthOptions,
  digestAuth,
  type TokenSource,
} from '@fetchstack/auth';
import type { Middleware } from '@fetchstack/core';
import { describeValue } from '@fetchstack/core/internal';
import type { SessionStore } from '../store.js';
import { asOption, type Layer, later, layer } from './layer.js';

/**
 * The session's credentials:
 * - `[user, pass]`: Basic auth;
 * - `{ bearer, refresh?, origins? }`: a bearer token (with single-flight refresh on 401);
 * - `{ digest: [user, pass], origins? }`: Digest auth;
 * - a Middleware of your own (any layer from `@fetchstack/auth`, say);
 * - `false`, `null` or `undefined`: none.
 */
export type AuthOption =
  | readonly [user: string, pass: string]
  | ({ bearer: TokenSource } & BearerAuthOptions)
  | ({ digest: readonly [user: string, pass: string] } & DigestAuthOptions)
  | Middleware
  | false
  | null
  | undefined;

export interface AuthLayerOptions {
  /**
   * Credentials: `[user, pass]` (Basic), `{ bearer, refresh?, origins? }`,
   * `{ digest: [user, pass], origins? }`, or a Middleware. Replaceable later through
   * `session.auth`. Credentials never follow a redirect to another origin. With the session's
   * `store`, a bearer with `refresh` is the fleet's (`store.tokens('bearer')`): one refresh at
   * a time across the fleet, and the fleet's token once one is published.
   * @default undefined (no auth)
   * @example createSession({ auth: { bearer: () => store.token, refresh: renew } })
   */
  auth?: AuthOption;
}

const shapes =
  '[user, pass], { bearer: token | () => token, refresh?, origins? }, { digest: [user, pass] }, a middleware, or false';

/**
 * Checks an auth value and returns its layer (`undefined` for none). Throws `TypeError` naming
 * `where`. With `store`, a bearer with `refresh` (and no `shared` of its own) shares the fleet's.
 * A middleware of yours gets each call with `mark` (the session's) in its context.
 */
export function makeAuth(
  value: unknown,
  where: string,
  store: SessionStore | undefined,
  mark: Readonly<Record<string, unknown>>,
): Middleware | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'function') return later((code) => code.yours(value as Middleware, mark));
  if (Array.isArray(value)) {
    const [user, pass] = value as unknown[];
    if (value.length !== 2 || typeof user !== 'string' || typeof pass !== 'string') {
      throw new TypeError(
        `${where} must be one of ${shapes}; got an array that is not [user, pass] (two strings).`,
      );
    }
    return asOption(where, '', () => basicAuth(user, pass));
  }
  if (typeof value === 'object') {
    if ('bearer' in value) {
      const { bearer, ...options } = value as { bearer: TokenSource } & BearerAuthOptions;
      if (options.refresh && options.shared === undefined && store?.tokens) {
        options.shared = store.tokens('bearer');
      }
      return asOption(where, '', () => bearerAuth(bearer, options));
    }
    if ('digest' in value) {
      const { digest, ...options } = value as { digest: unknown } & DigestAuthOptions;
      if (
        !Array.isArray(digest) ||
        digest.length !== 2 ||
        typeof digest[0] !== 'string' ||
        typeof digest[1] !== 'string'
      ) {
        throw new TypeError(
          `${where}: "digest" must be [user, pass] (two strings); got ${secret(digest)}.`,
        );
      }
      const [user, pass] = digest as [string, string];
      return asOption(where, '', () => digestAuth(user, pass, options));
    }
    throw new TypeError(
      `${where} must be one of ${shapes}; got an object with keys ${Object.keys(value).join(', ') || '(none)'}.`,
    );
  }
  throw new TypeError(
    `${where} must be one of ${shapes}; got ${secret(value)}.${typeof value === 'string' ? ' A bearer token goes in { bearer: token }.' : ''}`,
  );
}

/** `describeValue`, except that a string is never shown: in an auth option it may be a credential. */
function secret(value: unknown): string {
  return typeof value === 'string'
    ? `a string (${value.length} characters, not shown: it may be a credential)`
    : describeValue(value);
}

export const authLayer: Layer<AuthLayerOptions, true, false> = layer({
  name: 'auth',
  options: ['auth'],
  // The session's own auth shares the fleet's token through `store` (made with the session).
  reads: ['store'],
  mount: true,
  perCall: false,
  build(values: AuthLayerOptions, site) {
    // The session's own: whatever `session.auth` holds at each request.
    if (site.level === 'session') return later((code) => code.liveAuth(site.session.auth));
    if (!site.own.has('auth')) return site.inherited;
    // A mount's: fixed (`false` = none for these URLs). Another API's token is not the
    // session's: it is shared only through a `shared` of its own.
    const made = makeAuth(values.auth, `${site.where}: "auth"`, undefined, site.session.mark);
    return made && later((code) => code.mountAuth(made));
  },
});
