import type { KyInstance, Options, ResponsePromise } from 'ky';
import { loadedRun } from './layers/layer.js';
import type { Session, SessionClient } from './session.js';

type Ky = typeof import('ky').default;

// ky is loaded the first time the client is used, not when the session is imported: a
// program that never uses `session.client` never loads it (ky's import is a good part of a
// cold start). Once loaded, calls go straight to ky.
let ky: Ky | undefined;
let loading: Promise<Ky> | undefined;
let body: typeof import('./ky-body.js') | undefined;
function loadKy(): Promise<Ky> {
  loading ??= Promise.all([import('ky'), import('./ky-body.js')]).then(
    ([m, kept]) => {
      // ky 1 (what npm installs next to the session on Node 20, where ky 2 does not run) has
      // other options and no KyError.
      if (!('KyError' in m)) {
        throw new TypeError(
          'session.client needs ky 2, and the ky installed is an older one (npm installs ky 1 on Node 20, as ky 2 needs Node >= 22). On Node >= 22, `npm i ky@2`; on Node 20, call the session itself (it is a fetch function).',
        );
      }
      body = kept;
      ky = m.default;
      return ky;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** `session.client`: ky over the session, ky's retry and timeout off (the session owns both). */
export function kyClient(session: Session, baseUrl: string | undefined): SessionClient {
  // Made once ky (and the code that keeps upload bodies) has loaded.
  return deferred((k) => k.create(defaults(session, baseUrl))) as SessionClient;
}

function defaults(session: Session, baseUrl: string | undefined): Options {
  const { keepBody, markRequest, withKeptBody } = body!;
  return {
    ...(baseUrl ? { baseUrl } : {}),
    fetch: withKeptBody(session),
    retry: 0,
    timeout: false,
    hooks: {
      init: [retryInKyOrSession, keepBody],
      beforeRequest: [markRequest],
      // The URL in ky's error messages, redacted (the session's per-call code has loaded by the
      // time ky reports an error of a call it made).
      beforeError: [(state) => loadedRun()?.redactKyError(state) ?? state.error],
    },
  };
}

/**
 * A ky `retry` set on a call (or with `extend`) hands that call's retries to ky: the session's
 * are turned off for it, unless the call sets `fetchstack.retry` too. Both at once would
 * multiply the tries (ky's 3 × the session's 3 = 9 requests for one failing call).
 */
function retryInKyOrSession(options: Options & { fetchstack?: { retry?: unknown } }): void {
  const retry = options.retry;
  // ky's own reading: a number is the limit; an object without one means 2.
  const limit = typeof retry === 'object' && retry !== null ? (retry.limit ?? 2) : retry;
  if (typeof limit === 'number' && limit > 0 && options.fetchstack?.retry === undefined) {
    options.fetchstack = { ...options.fetchstack, retry: false };
  }
}

const methods = ['get', 'post', 'put', 'patch', 'head', 'delete', 'query'] as const;
const bodyMethods = ['json', 'text', 'formData', 'arrayBuffer', 'blob', 'bytes'] as const;

type Send = (input: unknown, options?: Options) => ResponsePromise;

/**
 * A ky instance made by `make` once ky is loaded: until then, a call starts loading it and
 * returns a `ResponsePromise` that sends the request as soon as ky is there, with the body
 * methods called in the meantime (`.json()` sets ky's `Accept` before the request goes, as
 * ky does). Once ky is loaded, every call is ky's own.
 */
function deferred(make: (k: Ky) => KyInstance): KyInstance {
  let real: KyInstance | undefined;
  const instance = (k: Ky): KyInstance => {
    real ??= make(k);
    return real;
  };
  const send =
    (pick: (i: KyInstance) => Send): Send =>
    (input, options) =>
      ky ? pick(instance(ky))(input, options) : later(() => pick(instance(ky!))(input, options));
  const client = send((i) => i as unknown as Send) as unknown as Record<string, unknown>;
  for (const method of methods) {
    client[method] = send((i) => (i as unknown as Record<string, Send>)[method] as Send);
  }
  client.create = (options?: Options) => deferred((k) => k.create(options));
  client.extend = (options: Parameters<KyInstance['extend']>[0]) =>
    deferred((k) => instance(k).extend(options));
  for (const name of ['stop', 'retry'] as const) {
    Object.defineProperty(client, name, {
      enumerable: true,
      get() {
        if (!ky) {
          throw new TypeError(
            `session.client.${name}: ky is still loading (it loads on the first request through session.client); read it from a hook, or import it from 'ky'.`,
          );
        }
        return ky[name];
      },
    });
  }
  return client as unknown as KyInstance;
}

/** A `ResponsePromise` for a request that `start()` makes once ky has loaded. */
function later(start: () => ResponsePromise): ResponsePromise {
  let real: ResponsePromise | undefined;
  const waiting: { run: () => void; fail: (error: unknown) => void }[] = [];
  const response = loadKy().then(() => {
    real = start();
    // Body methods called before ky was there: called on ky's promise now, in this same
    // turn, before ky sends the request (it waits one microtask for them).
    for (const call of waiting) call.run();
    waiting.length = 0;
    return real;
  });
  // ky could not be loaded, or refused the call (a bad option): the body methods called
  // meanwhile reject with that error, as they would have once ky was there.
  let failed: { error: unknown } | undefined;
  response.catch((error: unknown) => {
    failed = { error };
    for (const call of waiting) call.fail(error);
    waiting.length = 0;
  });
  const out = response as unknown as Record<string, unknown>;
  for (const type of bodyMethods) {
    out[type] = (...args: unknown[]) => {
      // ky's body method answers for the request's failure: not also this promise.
      response.catch(() => {});
      if (real)
        return (real as unknown as Record<string, (...a: unknown[]) => unknown>)[type]!(...args);
      if (failed) return Promise.reject(failed.error);
      return new Promise((resolve, reject) => {
        waiting.push({
          run: () => {
            const method = (
              real as unknown as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>
            )[type];
            if (!method) reject(new TypeError(`ResponsePromise.${type} is not a function`));
            else method.apply(real, args).then(resolve, reject);
          },
          fail: reject,
        });
      });
    };
  }
  return out as unknown as ResponsePromise;
}
