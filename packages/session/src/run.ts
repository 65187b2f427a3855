// The session's per-call code: what carries a call through the stack, as opposed to what
// checks the options. It loads once per process, when the first session is made (in the
// background), and the first call waits for it if it is not there yet (layers/layer.ts,
// `loadRun`). Everything a check needs stays with the options, so a bad option still throws
// when the session is made; a page's first load does not carry this module.

import { type Fetch, isFetchstackError, type Middleware } from '@fetchstack/core';
import {
  abortOf,
  annotate,
  checkInitAsNodeFetch,
  checkSignal,
  contextOf,
  exposeSignal,
  extendInit,
  holdRedacted,
  hrefOf,
  isRequest,
  ownedHeaders,
  redactErrorText,
  runtime,
  sameOrigin,
  trip,
  urlOf,
} from '@fetchstack/core/internal';
import { headers } from '@fetchstack/headers';
import { redirect } from '@fetchstack/redirect';
import type { RetryInfo, RetryOptions } from '@fetchstack/retry';
import type { SessionState } from './layers/layer.js';
import { omitsCredentials } from './omits-credentials.js';
import type { SessionRequestInit } from './options.js';
import { SessionClosedError } from './session-closed-error.js';
import type { Stack } from './stack.js';

export { headers };

// The wording the retry and timeout layers use for the same call's values.
const callWhere = 'fetch(input, init)';

/**
 * The URL a call goes to: a relative string input extends the base folder (`'users/me'`,
 * `'./users'`, `'../v2/x'`, `'?q=1'`); one starting with `/` or a scheme resolves as a URL
 * does (`'/health'` starts from the origin). `URL` and `Request` inputs are left alone (they
 * are absolute already), and so is every input when there is no base.
 */
export function resolveInput(
  input: string | URL | Request,
  base: URL | undefined,
): string | URL | Request {
  if (!base || typeof input !== 'string') return input;
  try {
    return new URL(input, base).href;
  } catch {
    // Not a URL even against the base ('http://'): the fetch beneath refuses it with its own
    // TypeError, as fetch itself would.
    return input;
  }
}

/** What a session's dispatch reads: its base, its mounts, whether it is closed. */
export interface DispatchState {
  /** Whether to check `init` as Node's fetch does (on Node, over no fetch of yours). */
  readonly checkInit: boolean;
  readonly baseUrl: URL | undefined;
  readonly mounts: readonly { prefix: string; stack: Stack }[];
  readonly defaultStack: Stack;
  closed(): boolean;
  /**
   * Checks `init.fetchstack` (options.ts). Handed over by the session rather than imported, so
   * that this module, which loads later, imports nothing of the option checks: a page's bundler
   * then keeps them in the session's own chunk instead of a chunk of their own.
   */
  checkCallOptions(value: unknown, where: string): void;
}

/** Resolves a relative input against baseUrl, then hands the call to the stack of its longest mount prefix. */
export function makeDispatch(
  state: DispatchState,
): (input: string | URL | Request, init?: RequestInit, since?: number) => Promise<Response> {
  // Not an async function (one promise per call less): the session's dispatch turns a throw
  // here into a rejection.
  const node = state.checkInit && runtime === 'node';
  return function dispatch(input, init, since) {
    const target = resolveInput(input, state.baseUrl);
    // (A call that comes here was made before close(), which waits for it: it goes on.)
    state.checkCallOptions((init as SessionRequestInit | undefined)?.fetchstack, callWhere);
    if (init) {
      // The session's transport on Node is not Node's fetch: what fetch refuses, refused here,
      // before any layer runs. (`redirect` is the redirect layer's: every runtime refuses a bad one.)
      if (node) {
        const keepalive = init.keepalive ?? (isRequest(input) ? input.keepalive : undefined);
        checkInitAsNodeFetch(init, callWhere, keepalive);
      } else {
        // (Every fetch refuses it; the layers would fail on it with a message of their own.)
        checkSignal(init, callWhere);
      }
    }
    // `since` reaches the total timeout, the outermost layer (it counts the wait for this code).
    const { fetch } = stackOf(target, state.mounts) ?? state.defaultStack;
    return (fetch as (...args: [...Parameters<Fetch>, number?]) => Promise<Response>)(
      target,
      init,
      since,
    );
  };
}

/**
 * The session's redirect layer. Its copy of the call's `init` for each try and each hop (with
 * `redirect: 'manual'`) is handed down as the session's `trip`: the rows beneath add to it in
 * place (the headers layer its headers, the transport the session's mark), one copy for all.
 * A call it passes down as it came (`redirect: 'manual'` of the caller's, or any call in a
 * browser, which follows redirects itself) keeps its `init`, which a retry above sends again.
 */
export function sessionRedirect(): Middleware {
  const layer = redirect();
  return (next) => {
    // The `init` of the call this layer is taking now (it calls `next` before it returns for
    // the first try or a call it passes down; every later hop's `init` is a copy of its own).
    let taken: RequestInit | undefined | null = null;
    const follow = layer(function hopOf(input, init) {
      if (init !== taken) {
        trip.init = init;
        trip.headers = undefined;
      }
      return next(input, init);
    });
    return function redirecting(input, init) {
      const outer = taken;
      taken = init;
      try {
        return follow(input, init);
      } finally {
        taken = outer;
      }
    };
  };
}

/**
 * The fetch beneath a stack's redirect layer, where every try and every redirect hop passes: a
 * redirect hop goes on through the rows beneath redirect of the stack its URL belongs to, so
 * that a hop into a mount (or out of one) gets that URL's headers, auth, limit, attempt timeout
 * and transport. (Once the session is closed, `withoutOverrides` sends none of them.)
 */
export function hops(stack: Stack, session: Pick<SessionState, 'route'>): Fetch {
  const own = stack.hop;
  return function hop(input, init) {
    const there = contextOf(init).redirect ? session.route(input) : undefined;
    return there && there !== stack ? there.hop(input, init) : own(input, init);
  };
}

/** The stack of the longest mount prefix `target` starts with (mounts come longest first), if any. */
export function stackOf(
  target: string | URL | Request,
  mounts: DispatchState['mounts'],
): Stack | undefined {
  if (mounts.length === 0) return undefined;
  // As `URL.href` gives it (scheme and host lower-cased, dot segments gone; in a page, a
  // relative input resolved against it, as fetch resolves it); as given if it does not parse.
  let href: string;
  try {
    href = hrefOf(target);
  } catch {
    href = String(target);
  }
  for (const entry of mounts) if (href.startsWith(entry.prefix)) return entry.stack;
  return undefined;
}

/** The rejection of a call made after `close()`. */
export function closedError(
  input: string | URL | Request,
  init: RequestInit | undefined,
  baseUrl: URL | undefined,
): SessionClosedError {
  return new SessionClosedError(resolveInput(input, baseUrl), init);
}

/** A mark set on each call's `init` (`init[key] = value`): see `fetchMarkKey` in layers/layer.ts. */
export interface InitMark {
  readonly key: symbol;
  readonly value: object;
}

/**
 * The fetch beneath, called without `init.fetchstack` (the session's, not the platform's).
 * A fetch that does not take the call's abort from its context (the platform's, the `fetch`
 * option, a transport of another runtime) finds it in `init.signal` when a timeout above
 * armed the call without an `AbortSignal` (`exposeSignal`). With `mark` (a fetch that is not
 * fetchstack's), the call's `init` carries the session's mark, in the same copy.
 */
export function withoutOverrides(
  fetch: Fetch,
  readsContext: boolean,
  mark: InitMark | undefined,
  session: Pick<SessionState, 'closed'>,
): Fetch {
  return function send(input, init) {
    // Once the session is closed, a call made before sends its first try and nothing more: a
    // retry or a redirect hop rejects here (a call waiting for a limit slot was refused at
    // close()).
    if (session.closed()) {
      const context = contextOf(init);
      if ((context.attempt ?? 1) > 1 || context.redirect) {
        return Promise.reject(new SessionClosedError(input, init));
      }
    }
    // The session's copy for this try (see `sessionRedirect`) is the last it hands down.
    let own = init !== undefined && init === trip.init;
    // The headers its headers layer merged into that copy reach a transport of ours and no one
    // else: sent without a copy of their own.
    if (own && readsContext && trip.headers !== undefined && init!.headers === trip.headers) {
      ownedHeaders.add(trip.headers);
    }
    trip.init = trip.headers = undefined;
    if (init !== undefined && 'fetchstack' in init) {
      const { fetchstack: _, ...rest } = init as RequestInit & { fetchstack?: unknown };
      init = rest;
      own = true;
    }
    // A browser resets a Request's referrer and its policy when an init comes with it (the
    // Fetch standard's Request constructor): the layers' init keeps the Request's own.
    if (
      runtime === 'browser' &&
      init !== undefined &&
      isRequest(input) &&
      init.referrer === undefined
    ) {
      init = extendInit(init, {
        referrer: input.referrer,
        referrerPolicy: init.referrerPolicy ?? input.referrerPolicy,
      });
      own = true;
    }
    if (readsContext) return fetch(input, init);
    let out = exposeSignal(input, init, undefined, own);
    if (mark) {
      if (out === init && !own) out = extendInit(init, undefined);
      (out as Record<symbol, object>)[mark.key] = mark.value;
    }
    return fetch(input, out);
  };
}

/**
 * The fetch beneath when no transport of ours runs (browsers, Workers, `proxy: false`, the
 * `fetch` option): its network failures say which call failed, as the transport's do
 * (`method`, `url` without credentials, the runtime's `code`); the caller's abort reason is
 * passed on untouched.
 */
export function annotated(fetch: Fetch): Fetch {
  // No async frame: one `then` on the fetch's own promise.
  return function sendDirect(input, init) {
    const explain = (error: unknown): never => {
      throw error === abortOf(input, init)?.reason ? error : annotate(error, input, init);
    };
    try {
      const pending = fetch(input, init);
      return (pending instanceof Promise ? pending : Promise.resolve(pending)).then(
        undefined,
        explain,
      );
    } catch (error) {
      return Promise.reject(error).then(undefined, explain);
    }
  };
}

/**
 * Your middleware as the auth layer: it sees the call's signal in `init.signal` (a timeout
 * above may have armed the call without one: `exposeSignal` gives it one when it is read), and
 * the session's `mark` in the call's context. A redirect hop to another origin than the one
 * the call was made to goes on without it, as basic, bearer and digest credentials do: what it
 * adds is meant for the origin you called.
 */
export function yours(middleware: Middleware, mark: Readonly<Record<string, unknown>>): Middleware {
  return (next: Fetch): Fetch => {
    const wrapped = middleware(next);
    return (input, init) => {
      const hop = contextOf(init).redirect;
      if (hop && !sameOrigin(urlOf(input), hop.initial)) return next(input, init);
      return wrapped(input, exposeSignal(input, init, mark));
    };
  };
}

/** A mount's auth layer, left out for a call with `credentials: 'omit'` (as the session's is). */
export function mountAuth(auth: Middleware): Middleware {
  return (next: Fetch): Fetch => {
    const wrapped = auth(next);
    return (input, init) => {
      if (omitsCredentials(input, init)) return next(input, init);
      // An auth layer may send the call twice (a challenge answered): its `init` is no trip's.
      trip.init = undefined;
      return wrapped(input, init);
    };
  };
}

/**
 * A layer that asks `current()` for the auth layer at each request, so that a replaced
 * `session.auth` applies to the next request. The wrapped fetch is kept per auth layer: a
 * bearer refresh's single-flight state lives as long as the auth value it belongs to.
 */
export function liveAuth(current: () => Middleware | undefined): Middleware {
  return (next: Fetch): Fetch => {
    let layer: Middleware | undefined;
    let wrapped: Fetch = next;
    return function authenticated(input, init) {
      const now = current();
      if (!now || omitsCredentials(input, init)) return next(input, init);
      if (now !== layer) {
        layer = now;
        wrapped = now(next);
      }
      // An auth layer may send the call twice (a challenge answered): its `init` is no trip's.
      trip.init = undefined;
      return wrapped(input, init);
    };
  };
}

/**
 * `session.client`'s `beforeError` hook: ky's errors name the request's URL in their message
 * (`HTTPError: Request failed with status code 403 Forbidden: GET https://...?token=...`); the
 * URL is redacted there as in fetchstack's own errors, and the request and response an error
 * holds print redacted. The session's own errors get ky's `request` too: ky's
 * `isTimeoutError()` matches the session's `TimeoutError` by its name, and code written for ky
 * then reads `error.request.url`.
 */
export function redactKyError({ error, request }: { error: Error; request: Request }): Error {
  redactErrorText(error, request);
  const held = error as unknown as Record<string, Request | Response | undefined>;
  if (isFetchstackError(error) && !('request' in error)) held.request = request;
  // Printed whole (console.error), the error shows no cookie or token of its request or
  // response, nor the headers of ky's options (an Authorization given to ky).
  for (const key of ['request', 'response']) if (held[key]) holdRedacted(error, key, held[key]);
  if (Object.hasOwn(error, 'options'))
    Object.defineProperty(error, 'options', { enumerable: false });
  return error;
}

/**
 * The cache row of a stack without a cache (layers/cache.ts): a call that asks for one is
 * refused rather than silently left uncached.
 */
export function noCache(where: string): Middleware {
  return (next) =>
    function uncached(input, init) {
      const box = (init as { fetchstack?: { cache?: unknown } } | undefined)?.fetchstack;
      const asked = typeof box === 'object' && box !== null ? box.cache : undefined;
      if (asked !== undefined && asked !== false) {
        return Promise.reject(
          new TypeError(
            `fetch(input, init): "fetchstack.cache": ${where.startsWith('session.mount') ? 'this mount' : 'this session'} has no cache, so one call cannot turn it on. Pass cache: true (or cache options) to createSession() or session.mount().`,
          ),
        );
      }
      return next(input, init);
    };
}

/** What the retry layer's `onRetry` does before each retry (layers/retry.ts, `chainRetry`). */
export async function beforeRetry(
  info: RetryInfo,
  own: RetryOptions['onRetry'],
  session: Pick<SessionState, 'hooks' | 'closed'>,
): Promise<void> {
  if (session.closed()) throw closedError(info.request, undefined, undefined);
  if (own) await own(info);
  for (const hook of session.hooks.beforeRetry) {
    await hook({
      request: info.request,
      response: info.response,
      error: info.error,
      attempt: info.attempt,
      delay: info.delay,
    });
  }
}
