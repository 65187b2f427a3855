// bearerAuth's calls (bearer.ts checks the options, lazy.ts loads this on the first call):
// the token on each call to an allowed origin, and a 401 answered by one refresh shared by
// every request in flight (single flight), then one replay.
import type { Fetch, Middleware } from '@fetchstack/core';
import { abortable, describeCall, discard, type Input, signalOf } from '@fetchstack/core/internal';
import type { AuthError } from './auth-error.js';
import type { SharedRefresh, TokenSource } from './bearer.js';
import type { Handed } from './handed.js';
import { refreshContext } from './refresh-context.js';
import { replayable } from './replayable.js';
import {
  authError,
  type Call,
  fixedAuthorization,
  makeScope,
  redirectedTo,
  withAuthorization,
} from './request.js';
import type { Allowed } from './scope.js';

/** The calls of one `bearerAuth` layer, whose options it checked. */
export function bearerCalls(
  token: TokenSource,
  refresh: (() => string | Promise<string>) | undefined,
  shared: SharedRefresh | undefined,
  allowed: Allowed,
  handed: Handed,
): Middleware {
  const scope = makeScope(allowed);
  // A fixed token with no refresh and no fleet (the common case): a 401 is returned as it is,
  // so the layer only sets the header.
  if (typeof token === 'string' && !refresh && !shared) {
    return fixedAuthorization(scope, `Bearer ${token}`);
  }

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
      const given = await token();
      // No token yet (an empty one) and a refresh to get one: the refresh gives the first.
      if (given === '' && refresh && refreshed === undefined) return firstFromRefresh(call);
      const value = usable(handed, given, 'the token function', call);
      // A refresh that finished while the function ran wins over what it returned.
      if (refreshed === undefined) return { value, settled };
    }
    if (refreshed === undefined && token === '') return firstFromRefresh(call);
    return { value: refreshed ?? (token as string), settled };
  }

  /** The first token, from the refresh (one for every call that starts meanwhile). */
  async function firstFromRefresh(call: Call): Promise<{ value: string; settled: number }> {
    const value = await startRefresh(call, '');
    // Counted after it: a 401 for this token refreshes again.
    return { value, settled };
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
        throw current.refused ? refusedError(handed, current.refused, call, error) : error;
      }
      if (current.refused && !handed.isToken(value))
        throw refusedError(handed, current.refused, call);
      return usable(handed, value, 'options.refresh', call);
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
    function bearerAuthenticated(input, init) {
      try {
        const url = scope(input, init);
        return url ? withToken(next, input, init, url) : next(input, init);
      } catch (error) {
        return Promise.reject(error);
      }
    };

  /** A call to an allowed origin when the token may change: its token, a 401's refresh and replay. */
  async function withToken(
    next: Fetch,
    input: Input,
    init: RequestInit | undefined,
    url: URL,
  ): Promise<Response> {
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
  }
}

/** A refresh in flight. */
interface Flight {
  promise: Promise<string>;
  /** A request made while it ran, through this layer, that was answered 401. */
  refused?: { method: string; url: string };
}

function refusedError(
  { AuthError }: Handed,
  refused: { method: string; url: string },
  call: Call,
  cause?: unknown,
): AuthError {
  return authError(
    AuthError,
    'REFRESH_REFUSED',
    `bearerAuth: options.refresh failed, and a request made through this same layer while it ran (${refused.method} ${refused.url}) was answered 401: the token endpoint itself refused the expired token. Send that request with its own Authorization header (this layer then leaves it alone), or leave the token endpoint out with options.origins.`,
    call,
    undefined,
    cause,
  );
}

/** `value` when it is a token `Authorization` can carry; else an `AuthError` naming `what`. */
function usable(
  { AuthError, isToken, shown }: Handed,
  value: unknown,
  what: string,
  call: Call,
): string {
  if (!isToken(value)) {
    // `shown` never echoes a string: it is a credential.
    throw authError(
      AuthError,
      'BAD_TOKEN',
      `bearerAuth: ${what} must return a non-empty token string without CR, LF or NUL; got ${shown(value)}.`,
      call,
    );
  }
  return value;
}
