import type { Fetch, Middleware } from '@fetchstack/core';
import {
  contextOf,
  describeValue,
  headersOf,
  isRequest,
  methodOf,
  redactUrl,
} from '@fetchstack/core/internal';

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

type OneOrMany<T> = T | readonly T[];

/**
 * Functions the session calls as requests go by, for logging and metrics. Each
 * gets one object; a hook that returns a promise is awaited. A hook that throws
 * makes the call reject with that error.
 *
 * @example
 * createSession({ hooks: { afterResponse: ({ request, response, ms }) => console.log(request.url, response.status, ms) } })
 */
export interface Hooks {
  /** Before each try (the first and every retry). */
  beforeRequest?: OneOrMany<(info: BeforeRequestInfo) => void | Promise<void>> | undefined;
  /** After each try that got a response (whatever its status), with its duration. */
  afterResponse?: OneOrMany<(info: AfterResponseInfo) => void | Promise<void>> | undefined;
  /** Before each retry's wait (the retry layer's `onRetry`). */
  beforeRetry?: OneOrMany<(info: BeforeRetryInfo) => void | Promise<void>> | undefined;
}

const hookNames = ['beforeRequest', 'afterResponse', 'beforeRetry'] as const;

/** The hooks, validated and flattened to one list per name. */
export interface HookLists {
  beforeRequest: ((info: BeforeRequestInfo) => void | Promise<void>)[];
  afterResponse: ((info: AfterResponseInfo) => void | Promise<void>)[];
  beforeRetry: ((info: BeforeRetryInfo) => void | Promise<void>)[];
}

/** Validates `hooks` (an object, or an array of objects such as `[logger(console), mine]`). */
export function normalizeHooks(value: OneOrMany<Hooks> | undefined, where: string): HookLists {
  const lists: HookLists = { beforeRequest: [], afterResponse: [], beforeRetry: [] };
  if (value === undefined) return lists;
  const objects = Array.isArray(value) ? value : [value];
  for (const hooks of objects as Hooks[]) {
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
      throw new TypeError(
        `${where}: "hooks" must be an object { beforeRequest, afterResponse, beforeRetry } (or an array of such objects); got ${describeValue(hooks)}.`,
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
      const entry = hooks[name];
      if (entry === undefined) continue;
      const fns = Array.isArray(entry) ? entry : [entry];
      for (const fn of fns) {
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

/**
 * A Request describing the call for hooks: URL, method and headers, never the
 * body (reading it would consume the caller's stream). `undefined` when the
 * platform would refuse the call anyway (it then throws its own error below).
 */
export function describeRequest(
  input: string | URL | Request,
  init?: RequestInit,
): Request | undefined {
  try {
    const url = isRequest(input) ? input.url : String(input);
    return new Request(url, { method: methodOf(input, init), headers: headersOf(input, init) });
  } catch {
    return undefined;
  }
}

const now = (): number =>
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? performance.now()
    : Date.now();

/**
 * The per-try layer: calls `beforeRequest`, then `afterResponse` with the try's
 * duration. It sits inside retry, so `attempt` comes from the call context
 * that retry sets on each try.
 */
export function hooksLayer(hooks: HookLists): Middleware | undefined {
  if (hooks.beforeRequest.length === 0 && hooks.afterResponse.length === 0) return undefined;
  return (next: Fetch): Fetch =>
    async function withHooks(input, init) {
      const request = describeRequest(input, init);
      if (!request) return next(input, init);
      const attempt = contextOf(init).attempt ?? 1;
      for (const hook of hooks.beforeRequest) await hook({ request, attempt });
      const started = now();
      const response = await next(input, init);
      const ms = Math.round(now() - started);
      for (const hook of hooks.afterResponse) await hook({ request, response, attempt, ms });
      return response;
    };
}

const secretHeaders = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];

/**
 * Headers as `[name, value]` pairs, with `Authorization`, `Cookie`, `Set-Cookie` and
 * `Proxy-Authorization` values replaced by `[redacted]` (an auth scheme such as
 * `Basic` or `Bearer` is kept: it helps debugging and reveals nothing).
 */
export function redactHeaders(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!secretHeaders.includes(name)) {
      out.push([name, value]);
      return;
    }
    const scheme = /^(authorization|proxy-authorization)$/.test(name)
      ? /^(\S+)\s/.exec(value)?.[1]
      : undefined;
    out.push([name, scheme ? `${scheme} [redacted]` : '[redacted]']);
  });
  const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  // forEach joins Set-Cookie values; report one line per cookie, each redacted.
  if (setCookies.length > 1) {
    const rest = out.filter(([name]) => name !== 'set-cookie');
    for (let i = 0; i < setCookies.length; i++) rest.push(['set-cookie', '[redacted]']);
    return rest;
  }
  return out;
}

/** Where the logger writes: `console`, or anything with `info`/`warn` (or `log`). */
export interface LogTarget {
  info?: (...args: unknown[]) => void;
  warn?: (...args: unknown[]) => void;
  log?: (...args: unknown[]) => void;
}

export interface LoggerOptions {
  /**
   * Also print the request's headers and the response's (secrets redacted).
   * @default false
   */
  headers?: boolean;
}

/**
 * Ready-made hooks that log one line per try (method, URL, status, attempt, ms)
 * and one per retry (why, and how long the wait is). Credentials in URLs and the
 * values of `Authorization`, `Cookie`, `Set-Cookie` and `Proxy-Authorization` are
 * never printed.
 *
 * The logged request is the call as it enters the try (headers the call set);
 * the session's default headers, auth and cookies are added beneath it.
 *
 * @example
 * import { createSession, logger } from '@fetchstack/session';
 * const session = createSession({ hooks: logger(console) });
 * // GET http://127.0.0.1:8080/status/503 → 503 (attempt 1, 3 ms)
 * // retry 1 of GET http://127.0.0.1:8080/status/503 in 512 ms (status 503)
 */
export function logger(target: LogTarget = console, options: LoggerOptions = {}): Hooks {
  if (typeof target !== 'object' || target === null) {
    throw new TypeError(
      `logger(target): target must be console or an object with info/warn or log methods; got ${describeValue(target)}.`,
    );
  }
  const info = (target.info ?? target.log)?.bind(target);
  const warn = (target.warn ?? target.log ?? target.info)?.bind(target);
  if (!info || !warn) {
    throw new TypeError('logger(target): target has neither info, warn nor log methods.');
  }
  const showHeaders = options.headers === true;
  const line = (headers: Headers) =>
    redactHeaders(headers)
      .map(([name, value]) => `    ${name}: ${value}`)
      .join('\n');
  return {
    afterResponse({ request, response, attempt, ms }) {
      let text = `${request.method} ${redactUrl(request.url)} → ${response.status} (attempt ${attempt}, ${ms} ms)`;
      if (showHeaders)
        text += `\n  request headers:\n${line(request.headers)}\n  response headers:\n${line(response.headers)}`;
      info(text);
    },
    beforeRetry({ request, response, error, attempt, delay }) {
      const why = response
        ? `status ${response.status}`
        : `error: ${(error as Error)?.message ?? String(error)}`;
      warn(
        `retry ${attempt} of ${request.method} ${redactUrl(request.url)} in ${Math.round(delay)} ms (${why})`,
      );
    },
  };
}
