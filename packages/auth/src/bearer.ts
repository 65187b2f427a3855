import type { Fetch, Middleware } from '@fetchstack/core';
import {
  abortable,
  assertKnownKeys,
  assertOptionsObject,
  describeCall,
  describeValue,
  discard,
  signalOf,
} from '@fetchstack/core/internal';
import { AuthError } from './auth-error.js';
import { refreshContext } from './refresh-context.js';
import { replayable } from './replayable.js';
import { type Call, hasLineBreak, redirectedTo, withAuthorization } from './request.js';
import { makeScope, type ScopeOptions } from './scope.js';

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
   * A stream body is kept in memory (up to 4 MiB) so the request can be sent again; a
   * longer one is sent once and its `401` returned as it is.
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
export function bearerAuth(token: TokenSource, opts: BearerAuthOptions = {}): Middleware {
  const where = 'bearerAuth(token, options)';
  if (typeof token === 'string') {
    checkToken(token, 'token');
  } else if (typeof token !== 'function') {
    throw new TypeError(
      `bearerAuth(token): token must be a string or a function returning one (sync or async); got ${describeValue(token)}.`,
    );
  }
  assertOptionsObject(opts, where);
  assertKnownKeys(opts, ['refresh', 'origins', 'shared'], where);
  const { refresh, shared } = opts;
  if (refresh !== undefined && typeof refresh !== 'function') {
    throw new TypeError(
      `${where}: options.refresh must be a function returning the new token; got ${describeValue(refresh)}.`,
    );
  }
  if (shared !== undefined && typeof shared?.refresh !== 'function') {
    throw new TypeError(
      `${where}: options.shared must be a shared token (redisStore.tokens()); got ${describeValue(shared)}.`,
    );
  }
  const scope = makeScope(opts.origins, where);

  // Per layer instance, never shared between instances.
  let refreshed: string | undefined; // the token from the last successful refresh
  let flight: Flight | undefined; // the refresh in flight, shared by every 401
  let settled = 0; // refreshes finished so far, success or failure
  let outcome: { ok: true; token: string } | { ok: false; error: unknown } | undefined;

  /** The token to send now, and how many refreshes had finished when it was chosen. */
  async function currentToken(call: Call): Promise<{ value: string; settled: number }> {
    // The fleet's token (updated by every refresh, here or elsewhere) wins once there is one.
    const fleet = await shared?.current();
    if (fleet) return { value: fleet, settled };
    if (refreshed === undefined && typeof token === 'function') {
      const value = usable(await token(), 'the token function', call);
      // A refresh that finished while the function ran wins over what it returned.
      if (refreshed === undefined) return { value, settled };
    }
    return { value: refreshed ?? (token as string), settled };
  }

  function startRefresh(call: Call, stale: string): Promise<string> {
    if (flight) return flight.promise;
    // `flight` is set before `refresh` runs (a microtask later), so a request the refresh
    // makes through this layer is known to have started during it.
    const current: Flight = {
      promise: Promise.resolve().then(() => runRefresh(current, call, stale)),
    };
    flight = current;
    return current.promise;
  }

  async function runRefresh(current: Flight, call: Call, stale: string): Promise<string> {
    const run = async (): Promise<string> => {
      let value: unknown;
      try {
        // Calls the refresh makes carry `current` (where the runtime can tell them apart).
        value = await (refreshContext ? refreshContext.run(current, refresh!) : refresh!());
      } catch (error) {
        throw current.refused ? refusedError(current.refused, call, error) : error;
      }
      if (current.refused && !isUsable(value)) throw refusedError(current.refused, call);
      return usable(value, 'options.refresh', call);
    };
    try {
      // A shared token answers with a token some process's `run` checked.
      const fresh = await (shared ? shared.refresh(stale, run) : run());
      refreshed = fresh;
      outcome = { ok: true, token: fresh };
      return fresh;
    } catch (error) {
      outcome = { ok: false, error };
      throw error;
    } finally {
      settled += 1;
      if (flight === current) flight = undefined;
    }
  }

  /**
   * The token to replay with after a 401. One refresh serves every request that was in
   * flight while it ran: those that wait on it, and those whose 401 arrives after it
   * finished (they get its token, or its error), so a burst of 401s never refreshes twice.
   */
  function tokenAfter401(sent: { value: string; settled: number }, call: Call): Promise<string> {
    if (flight) return flight.promise;
    if (settled !== sent.settled && outcome) {
      return outcome.ok ? Promise.resolve(outcome.token) : Promise.reject(outcome.error);
    }
    return startRefresh(call, sent.value);
  }

  return (next: Fetch): Fetch =>
    async function bearerAuthenticated(input, init) {
      const url = scope(input, init);
      if (!url) return next(input, init);
      // A request the refresh itself makes (to its token endpoint, through this same layer)
      // must never wait for that refresh. Where the runtime says which refresh a call comes
      // from, that is known; elsewhere any request that starts while a refresh runs may be it.
      const during = refreshContext ? refreshContext.getStore() : flight;
      // A stream body is buffered only when a 401 can lead to a replay.
      const call = refresh ? await replayable(input, init) : { input, init };
      const sent = await currentToken(call);
      const first = withAuthorization(call, `Bearer ${sent.value}`);
      const response = await next(first.input, first.init);
      if (response.status !== 401 || !refresh || call.oneShot) return response;
      // The platform followed a redirect to another origin: that 401 is not about our token.
      const final = redirectedTo(response, url);
      if (final && final.origin !== url.origin) return response;
      if (flight && during === flight) {
        // Waiting here could be the refresh waiting for itself: hand the 401 back, and let
        // the refresh say why it failed if it does.
        flight.refused ??= describeCall(call.input, call.init);
        return response;
      }

      discard(response);
      const token = await abortable(tokenAfter401(sent, call), signalOf(call.input, call.init));
      const again = withAuthorization(call, `Bearer ${token}`);
      return next(again.input, again.init);
    };
}

/** A refresh in flight. */
interface Flight {
  promise: Promise<string>;
  /** A request made while it ran, through this layer, that was answered 401. */
  refused?: { method: string; url: string };
}

function refusedError(
  refused: { method: string; url: string },
  call: Call,
  cause?: unknown,
): AuthError {
  return new AuthError(
    `bearerAuth: options.refresh failed, and a request made through this same layer while it ran (${refused.method} ${refused.url}) was answered 401: the token endpoint itself refused the expired token. Send that request with its own Authorization header (this layer then leaves it alone), or leave the token endpoint out with options.origins.`,
    {
      code: 'REFRESH_REFUSED',
      input: call.input,
      init: call.init,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function checkToken(value: string, what: string): void {
  if (value === '') {
    throw new TypeError(`bearerAuth(token): ${what} is an empty string; pass the token itself.`);
  }
  if (hasLineBreak(value)) {
    throw new TypeError(
      `bearerAuth(token): ${what} contains CR, LF or NUL, which a header cannot carry.`,
    );
  }
}

function isUsable(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !hasLineBreak(value);
}

function usable(value: unknown, what: string, call: Call): string {
  if (!isUsable(value)) {
    // Never echo a string here: it is a credential.
    const shown =
      typeof value === 'string'
        ? 'a string that is empty or holds CR, LF or NUL'
        : describeValue(value);
    throw new AuthError(`bearerAuth: ${what} must return a non-empty token string; got ${shown}.`, {
      code: 'BAD_TOKEN',
      input: call.input,
      init: call.init,
    });
  }
  return value;
}
