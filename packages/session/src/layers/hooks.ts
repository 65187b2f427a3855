// The session's `hooks` option: functions called as each try goes by. The layer sits inside
// retry (so it runs once per try, with its `attempt`) and above redirect (a redirect chain is
// one try to it); `beforeRetry` is the retry layer's `onRetry` (retry.ts).

import { describeValue } from '@fetchstack/core/internal';
import { type Layer, layer, onFirstCall } from './layer.js';

/** What `beforeRequest` receives, once per try. */
export interface BeforeRequestInfo {
  /** The try's method, URL and headers as the call set them (no body: the body belongs to the wire). */
  request: Request;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
}

/** What `afterResponse` receives, once per try that got a response. */
export interface AfterResponseInfo extends BeforeRequestInfo {
  response: Response;
  /** ms from the start of this try until its response's headers. */
  ms: number;
}

/** What `afterError` receives, once per try that ended in an error instead of a response. */
export interface AfterErrorInfo extends BeforeRequestInfo {
  /** What the try rejected with: a network `TypeError`, a `TimeoutError`, an abort's reason... */
  error: unknown;
  /** ms from the start of this try until it failed. */
  ms: number;
}

/** What `beforeRetry` receives, before the wait that precedes each retry. */
export interface BeforeRetryInfo {
  request: Request;
  /** The failed try's response, or `undefined` when it threw. */
  response: Response | undefined;
  /** The failed try's error, or `undefined` when it got a response. */
  error: unknown;
  /** The number of the retry about to start: 1 for the first retry. */
  attempt: number;
  /** The wait before it, in ms. */
  delay: number;
}

/** What `storeError` receives when a store the session uses fails (its cache's, or its fleet `store`). */
export interface StoreErrorInfo {
  /** The store's failure (a `CacheStoreError` for a cache store: `operation`, `key`, `cause`). */
  error: unknown;
}

type OneOrMany<T> = T | readonly T[];
/** What a hook returns is ignored (a promise is awaited), so an arrow that returns a value fits. */
type Hook<T> = (info: T) => unknown;

/**
 * Functions the session calls as requests go by, for logging and metrics. Each gets one
 * object; a hook that returns a promise is awaited. A hook that throws makes the call
 * reject with that error. Hooks watch calls and cannot change them: a `beforeRequest` that
 * sets a header on its `request` (a copy), or a hook that returns a `Request`, `Response` or
 * `Error` other than the one it was given, makes the call reject with a `TypeError` naming
 * the hook. To change calls, use the `middleware` option.
 *
 * @example
 * createSession({ hooks: { afterResponse: ({ request, response, ms }) => console.log(request.url, response.status, ms) } })
 */
export interface Hooks {
  /** Before each try (the first and every retry). */
  beforeRequest?: OneOrMany<Hook<BeforeRequestInfo>> | undefined;
  /** After each try that got a response (whatever its status), with its duration. */
  afterResponse?: OneOrMany<Hook<AfterResponseInfo>> | undefined;
  /**
   * After each try that ended in an error (a network failure, a timeout, an abort), with its
   * duration, before retry decides whether to try again. The call's error is unchanged.
   */
  afterError?: OneOrMany<Hook<AfterErrorInfo>> | undefined;
  /** Before each retry's wait (the retry layer's `onRetry`). */
  beforeRetry?: OneOrMany<Hook<BeforeRetryInfo>> | undefined;
  /**
   * When a store the session uses fails: its cache's store (unless the cache options have
   * their own `onStoreError`), or its fleet `store` cannot be reached (once per outage). The
   * calls go on without the store; nothing is awaited.
   */
  storeError?: OneOrMany<Hook<StoreErrorInfo>> | undefined;
}

export interface HooksLayerOptions {
  /**
   * `{ beforeRequest, afterResponse, afterError, beforeRetry, storeError }` (each a function or an array
   * of functions), or an array of such objects: `[logger(console), metrics]`.
   * @default undefined
   * @example createSession({ hooks: [logger(console), { afterError: ({ error }) => metrics.fail(error) }] })
   */
  hooks?: OneOrMany<Hooks> | undefined;
}

const hookNames = [
  'beforeRequest',
  'afterResponse',
  'afterError',
  'beforeRetry',
  'storeError',
] as const;

/** The hooks, checked and flattened to one list per name. */
export interface HookLists {
  beforeRequest: Hook<BeforeRequestInfo>[];
  afterResponse: Hook<AfterResponseInfo>[];
  afterError: Hook<AfterErrorInfo>[];
  beforeRetry: Hook<BeforeRetryInfo>[];
  storeError: Hook<StoreErrorInfo>[];
}

/** Checks `hooks` (an object, or an array of objects such as `[logger(console), mine]`). */
export function normalizeHooks(value: unknown, where: string): HookLists {
  const lists = Object.fromEntries(hookNames.map((name) => [name, []])) as unknown as HookLists;
  if (value === undefined) return lists;
  const objects: unknown[] = Array.isArray(value) ? value : [value];
  for (const hooks of objects) {
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
      throw new TypeError(
        `${where}: "hooks" must be an object { ${hookNames.join(', ')} } (or an array of such objects); got ${describeValue(hooks)}.`,
      );
    }
    for (const key of Object.keys(hooks)) {
      if (!(hookNames as readonly string[]).includes(key)) {
        throw new TypeError(
          `${where}: unknown hook "${key}". Known hooks: ${hookNames.join(', ')}.`,
        );
      }
    }
    for (const name of hookNames) {
      const entry: unknown = (hooks as Record<string, unknown>)[name];
      if (entry === undefined) continue;
      for (const fn of Array.isArray(entry) ? entry : [entry]) {
        if (typeof fn !== 'function') {
          throw new TypeError(
            `${where}: hooks.${name} must be a function or an array of functions; got ${describeValue(fn)}.`,
          );
        }
        (lists[name] as unknown[]).push(fn);
      }
    }
  }
  return lists;
}

let loading: Promise<typeof import('./hooks-run.js')> | undefined;

export const hooksLayer: Layer<HooksLayerOptions, false, false> = layer({
  name: 'hooks',
  options: ['hooks'],
  mount: false,
  perCall: false,
  build(_values: HooksLayerOptions, site) {
    const hooks = site.session.hooks;
    if (hooks.beforeRequest.length + hooks.afterResponse.length + hooks.afterError.length === 0) {
      return undefined;
    }
    // The code that calls them loads on the first call (hooks-run.ts).
    return onFirstCall(() => {
      loading ??= import('./hooks-run.js');
      return loading.then((run) => run.runHooks(hooks));
    });
  },
});
