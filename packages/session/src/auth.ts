import {
  basicAuth,
  bearerAuth,
  digestAuth,
  type Origins,
  type TokenSource,
} from '@fetchstack/auth';
import type { Fetch, Middleware } from '@fetchstack/core';
import { describeValue } from '@fetchstack/core/internal';

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
  | { bearer: TokenSource; refresh?: () => string | Promise<string>; origins?: Origins }
  | { digest: readonly [user: string, pass: string]; origins?: Origins }
  | Middleware
  | false
  | null
  | undefined;

/** Validates an auth value and returns its layer (`undefined` for none). Throws `TypeError`. */
export function authLayer(value: AuthOption, where: string): Middleware | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'function') return value;
  const shapes =
    '[user, pass], { bearer: token | () => token, refresh?, origins? }, { digest: [user, pass] }, a middleware, or false';
  if (Array.isArray(value)) {
    const [user, pass] = value as unknown[];
    if (value.length !== 2 || typeof user !== 'string' || typeof pass !== 'string') {
      throw new TypeError(
        `${where} must be one of ${shapes}; got an array that is not [user, pass] (two strings).`,
      );
    }
    return basicAuth(user, pass);
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('bearer' in v) {
      const { bearer, ...opts } = v;
      return bearerAuth(bearer as TokenSource, opts as never);
    }
    if ('digest' in v) {
      const { digest, ...opts } = v;
      if (
        !Array.isArray(digest) ||
        digest.length !== 2 ||
        typeof digest[0] !== 'string' ||
        typeof digest[1] !== 'string'
      ) {
        throw new TypeError(
          `${where}: "digest" must be [user, pass] (two strings); got ${describeValue(digest)}.`,
        );
      }
      return digestAuth(digest[0], digest[1], opts as never);
    }
    throw new TypeError(
      `${where} must be one of ${shapes}; got an object with keys ${Object.keys(v).join(', ') || '(none)'}.`,
    );
  }
  throw new TypeError(`${where} must be one of ${shapes}; got ${describeValue(value)}.`);
}

/** Validates without keeping the layer (used for options checked at creation). */
export function checkAuth(value: unknown, where: string): void {
  authLayer(value as AuthOption, where);
}

/**
 * A layer that asks `current()` for the auth layer at each request, so that a
 * replaced `session.auth` applies to the next request. The wrapped fetch is kept
 * per auth layer: a bearer refresh's single-flight state lives as long as the
 * auth value it belongs to.
 */
export function liveAuth(current: () => Middleware | undefined): Middleware {
  return (next: Fetch): Fetch => {
    let layer: Middleware | undefined;
    let wrapped: Fetch = next;
    return function authenticated(input, init) {
      const now = current();
      if (!now) return next(input, init);
      if (now !== layer) {
        layer = now;
        wrapped = now(next);
      }
      return wrapped(input, init);
    };
  };
}
