// logger(): ready-made hooks that write one line per try (a response or an error) and one per
// retry, with every secret redacted.

import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  redactHeaders,
  redactUrl,
} from '@fetchstack/core/internal';
import type { Hooks } from './layers/hooks.js';

/** Where the logger writes: `console`, or anything with `info`/`warn` (or `log`). */
export interface LogTarget {
  info?: (...args: unknown[]) => void;
  warn?: (...args: unknown[]) => void;
  log?: (...args: unknown[]) => void;
}

export interface LoggerOptions {
  /**
   * Also print the request's headers and the response's, secrets redacted.
   * @default false
   */
  headers?: boolean | undefined;
  /**
   * More header and query parameter names whose values are never printed (compared
   * without case), on top of the default ones.
   * @default []
   * @example logger(console, { headers: true, redact: ['x-tenant'] })
   */
  redact?: readonly string[] | undefined;
}

const where = 'logger(target, options)';

/**
 * Hooks that log one line per try (method, URL, status or error, attempt, ms) and one per
 * retry (why, and how long the wait is). Never printed: URL user info; the values of
 * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie` and of any header or query
 * parameter whose name contains `token`, `secret`, `key`, `auth` or `password`; and the
 * names you add with `redact`.
 *
 * The logged request is the call as it enters the try (headers the call set); the session's
 * default headers, auth and cookies are added beneath it.
 *
 * @example
 * import { createSession, logger } from '@fetchstack/session';
 * const session = createSession({ hooks: logger(console) });
 * // GET http://127.0.0.1:8080/status/503 → 503 (attempt 1, 3 ms)
 * // retry 1 of GET http://127.0.0.1:8080/status/503 in 512 ms (status 503)
 * // GET http://127.0.0.1:9/ ✗ TypeError: fetch failed (attempt 1, 2 ms)
 */
/** The quiet time after a store error is written, so that an outage is one line, not one per call. */
const storeWarningGap = 60_000;

export function logger(target: LogTarget = console, options: LoggerOptions = {}): Hooks {
  if (typeof target !== 'object' || target === null) {
    throw new TypeError(
      `${where}: target must be console or an object with info/warn or log methods; got ${describeValue(target)}.`,
    );
  }
  const info = (target.info ?? target.log)?.bind(target);
  const warn = (target.warn ?? target.log ?? target.info)?.bind(target);
  if (!info || !warn) {
    throw new TypeError(`${where}: target has neither info, warn nor log methods.`);
  }
  assertOptionsObject(options, where);
  assertKnownKeys(options, ['headers', 'redact'], where);
  const { headers = false, redact = [] } = options;
  if (typeof headers !== 'boolean') {
    throw new TypeError(
      `${where}: "headers" must be true or false; got ${describeValue(headers)}.`,
    );
  }
  if (!Array.isArray(redact) || redact.some((name) => typeof name !== 'string')) {
    throw new TypeError(
      `${where}: "redact" must be an array of header or query parameter names; got ${describeValue(redact)}.`,
    );
  }
  const extra = [...redact];
  let lastStoreWarning = Number.NEGATIVE_INFINITY;
  const url = (href: string) => redactUrl(href, extra);
  const list = (h: Headers) =>
    redactHeaders(h, extra)
      .map(([name, value]) => `    ${name}: ${value}`)
      .join('\n');
  return {
    afterResponse({ request, response, attempt, ms }) {
      let text = `${request.method} ${url(request.url)} → ${response.status} (attempt ${attempt}, ${ms} ms)`;
      if (headers) {
        text += `\n  request headers:\n${list(request.headers)}\n  response headers:\n${list(response.headers)}`;
      }
      info(text);
    },
    afterError({ request, error, attempt, ms }) {
      let text = `${request.method} ${url(request.url)} ✗ ${describeError(error, extra)} (attempt ${attempt}, ${ms} ms)`;
      if (headers) text += `\n  request headers:\n${list(request.headers)}`;
      warn(text);
    },
    storeError({ error }) {
      // One line per outage, not per call: a store that is down fails every call's lookup.
      const at = Date.now();
      if (at - lastStoreWarning < storeWarningGap) return;
      lastStoreWarning = at;
      warn(
        `${describeError(error, extra)} (calls go on without the store; the next store error is written after ${storeWarningGap / 1000} s)`,
      );
    },
    beforeRetry({ request, response, error, attempt, delay }) {
      const why = response ? `status ${response.status}` : `error: ${describeError(error, extra)}`;
      warn(
        `retry ${attempt} of ${request.method} ${url(request.url)} in ${Math.round(delay)} ms (${why})`,
      );
    },
  };
}

/** `Name: message`, with any URL in it redacted (platform errors may quote the URL). */
function describeError(error: unknown, extra: readonly string[]): string {
  const text =
    error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
      ? `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`
      : String(error);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (found) => {
    // Punctuation that ends it is the sentence's ("...?token=x: the proxy", "(url)."): kept
    // out of the URL, where redacting a value or normalising a path would drop it.
    const end = /[.,:;!?)\]]*$/.exec(found)?.[0] ?? '';
    return redactUrl(found.slice(0, found.length - end.length), extra) + end;
  });
}
