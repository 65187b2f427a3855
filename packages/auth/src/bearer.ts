import type { Middleware } from '@fetchstack/core';
import { checkOptions, isToken, need } from './check.js';
import { handed } from './handed.js';
import { onFirstCall } from './lazy.js';
import type { ScopeOptions } from './scope.js';

/** A bearer token, or a function called before each request that returns (or resolves to) one. */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of `bearerAuth`. */
export interface BearerAuthOptions extends ScopeOptions {
  /**
   * Called when a request sent with the token gets `401`: returns (or resolves to) a
   * new token, which is used from then on (instead of `token`), and the request is
   * sent once more with it. Requests that get `401` while a refresh is running wait
   * for that same refresh (single flight). If the refresh throws, every waiting
   * request rejects with its error. A `401` after the replay is returned as it is.
   *
   * `refresh` may call the fetch this layer wraps (to reach a token endpoint): a request
   * the refresh makes never waits for that refresh, so its `401` is returned as it is, and
   * if the refresh then fails it rejects with an `AuthError` (`code: 'REFRESH_REFUSED'`)
   * naming that request. Node, Deno and Bun (and Workers with `nodejs_compat`) tell the
   * refresh's requests from others; in browsers every request that starts while a refresh
   * runs is treated so (its `401` comes back instead of waiting for the refresh).
   *
   * A stream body (a `ReadableStream`, a Node `Readable`, an async generator) is kept in
   * memory (up to 4 MiB) so the request can be sent again; a longer one is sent once and
   * its `401` returned as it is.
   *
   * @default undefined (a 401 is returned as it is)
   * @example
   * bearerAuth(() => store.access, {
   *   refresh: async () => (store.access = await renew(store.refreshToken)),
   * })
   */
  refresh?: () => string | Promise<string>;
  /**
   * A token shared by several processes (a fleet), such as `redisStore.tokens()` from
   * `@fetchstack/redis`: its token, once one is published, is used instead of `token`; a 401
   * asks it for the token to replay with, and it runs `refresh` in one process of the fleet at
   * a time (the others use the token it gives, or reject with its error). A 401 for a token
   * older than the fleet's is replayed with the fleet's, without a refresh.
   * @default undefined (this layer's refreshes are its own)
   * @example bearerAuth(initial, { refresh: renew, shared: redisStore.tokens('billing') })
   */
  shared?: SharedRefresh | undefined;
}

/** A token shared by a fleet (what `options.shared` takes). */
export interface SharedRefresh {
  /** The fleet's token, or `undefined` when it has none (a promise while it is being read). */
  current(): string | undefined | Promise<string | undefined>;
  /**
   * The token to replay with after a request sent with `stale` got 401: the fleet's newer one,
   * or the result of `run` (called in one process of the fleet at a time).
   */
  refresh(stale: string, run: () => Promise<string>): Promise<string>;
}

/**
 * Bearer token auth (RFC 6750): `Authorization: Bearer <token>` on every request
 * to an allowed origin. `token` may be a function, called per request, so a
 * token that rotates is always current.
 *
 * A call that sets its own `Authorization` header is left alone (and never refreshed).
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { bearerAuth } from '@fetchstack/auth';
 * const api = wrap(fetch, bearerAuth(process.env.API_TOKEN!));
 * await api('https://httpbin.org/bearer');
 */
export function bearerAuth(token: TokenSource, opts?: BearerAuthOptions): Middleware {
  // With a refresh, an empty token means "none yet": the first call gets one from it.
  const none = token === '' && typeof opts?.refresh === 'function';
  need(
    typeof token === 'function' || isToken(token) || none,
    'bearerAuth(token)',
    'token',
    token,
    'a string or a function returning one (sync or async); a token is non-empty, without CR, LF or NUL (empty only with options.refresh)',
  );
  const where = 'bearerAuth(token, options)';
  const allowed = checkOptions(where, opts, ['refresh', 'origins', 'shared']);
  const { refresh, shared } = opts ?? {};
  need(
    refresh === undefined || typeof refresh === 'function',
    where,
    'options.refresh',
    refresh,
    'a function returning the new token',
  );
  need(
    shared === undefined || typeof (shared as SharedRefresh | null)?.refresh === 'function',
    where,
    'options.shared',
    shared,
    'a shared token (redisStore.tokens())',
  );
  return onFirstCall((calls) => calls.bearerCalls(token, refresh, shared, allowed, handed));
}
