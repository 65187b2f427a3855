// The options of createSession(), of session.mount() and of one call (`init.fetchstack`):
// their types and their checks. The keys come from the table of layers (stack.ts), plus the
// few options that are about the session itself rather than a layer.

import type { Fetch, Middleware } from '@fetchstack/core';
import {
  assertKnownKeys,
  assertOptionsObject,
  describeUrlValue,
  describeValue,
  failOption,
  isPlainRecord,
} from '@fetchstack/core/internal';
import {
  checkPerCallValues,
  type LayerOptions,
  layerKeys,
  type MountableOptions,
  mountKeys,
  type PerCallOptions,
  perCallKeys,
} from './stack.js';
import { checkStore, type StoreOption } from './store.js';

/** The options that are about the session itself, not one of its layers. */
export interface SessionOwnOptions {
  /**
   * The folder relative string inputs resolve in: `'users/me'` against
   * `'https://api.example.com/v1'` (with or without the final `/`) is
   * `https://api.example.com/v1/users/me`. An input starting with `/` or a scheme resolves
   * as a URL does (`'/health'` starts from the origin); `URL` and `Request` inputs are never
   * changed. `session.client` (ky) uses the same base.
   * @default undefined
   * @example createSession({ baseUrl: 'https://api.example.com/v1' })
   */
  baseUrl?: string | URL | undefined;
  /**
   * Your own layers, outermost: they see each call as you made it (before `baseUrl`).
   * @default []
   * @example createSession({ middleware: [(next) => (input, init) => next(input, init)] })
   */
  middleware?: readonly Middleware[] | undefined;
  /**
   * Settings for URLs under a prefix, as `session.mount(prefix, options)` for each entry.
   * @default undefined
   * @example createSession({ mount: { 'https://slow.example.com/': { timeout: 60_000 } } })
   */
  mount?: Record<string, MountOptions> | undefined;
  /**
   * The fetch the stack sits on, instead of the platform's (captured at creation). Cannot be
   * combined with `proxy`, `tls`, `pool` or `timeout.connect`, which make their own.
   * @default globalThis.fetch (or a transport from @fetchstack/proxy when proxy/tls/pool/connect apply)
   * @example createSession({ fetch: myInstrumentedFetch })
   */
  fetch?: Fetch | undefined;
}

/** Options of `createSession`. Every key is optional; leaving one out gives the default shown. */
export interface SessionOptions extends SessionOwnOptions, StoreOption, LayerOptions {}

/**
 * What `session.mount(prefix, options)` may set for URLs under `prefix`: `retry`, `timeout`,
 * `headers` (merged over the session's live headers), `auth` (replaces the session's; `false`
 * for none), `proxy`, `tls`, `pool`.
 */
export interface MountOptions extends MountableOptions {}

/**
 * What one call may set in `init.fetchstack`: `retry` and `timeout`, each taking the same
 * values as the session option of that name (`false` turns the layer off for this call).
 *
 * @example
 * await session('report', { method: 'POST', fetchstack: { retry: { limit: 5, methods: ['POST'] }, timeout: 120_000 } });
 * await session('health', { fetchstack: { retry: false, timeout: 1_000 } });
 */
export interface CallOptions extends PerCallOptions {}

/** `RequestInit` with the session's per-call overrides. */
export interface SessionRequestInit extends Omit<RequestInit, 'headers'> {
  /**
   * As fetch takes them; in a plain object, a header set to `undefined` leaves out the
   * session's default of that name for this call (as ky does).
   */
  headers?: HeadersInit | Record<string, string | undefined> | undefined;
  /** Settings for this call only (see `CallOptions`). */
  fetchstack?: CallOptions | undefined;
}

const ownKeys = ['baseUrl', 'middleware', 'mount', 'fetch', 'store'] as const;
/** Every key createSession() accepts. */
export const sessionKeys: readonly string[] = [...layerKeys, ...ownKeys];

/** Checks the options of createSession() that no layer checks (the layers check theirs as they are built). */
export function checkSessionOptions(options: unknown, where: string): SessionOptions {
  assertOptionsObject(options, where);
  const o: SessionOptions = options ?? {};
  assertKnownKeys(o, sessionKeys, where);
  if (o.middleware !== undefined) {
    if (!Array.isArray(o.middleware))
      failOption(where, 'middleware', 'an array of layers (next) => fetch', o.middleware);
    o.middleware.forEach((m: unknown, i) => {
      if (typeof m !== 'function')
        failOption(where, `middleware[${i}]`, 'a layer (next) => fetch', m);
    });
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function')
    failOption(where, 'fetch', 'a fetch function', o.fetch);
  if (o.mount !== undefined) assertOptionsObject(o.mount, `${where}: "mount"`);
  checkStore(o.store, where);
  return o;
}

/** Checks the options of session.mount() (keys here; values as the mount's layers are built). */
export function checkMountOptions(options: unknown, where: string): MountOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${where}: options must be an object with any of ${mountKeys.join(', ')}; got ${describeValue(options)}.`,
    );
  }
  assertKnownKeys(options, mountKeys, where);
  return options;
}

/**
 * A mount prefix, normalised for matching against `URL.href`: a scheme (`'https://'`,
 * `'http:'`) or an absolute URL (`'https://api.example.com/v2/'`).
 */
export function parsePrefix(prefix: unknown, where: string): string {
  const bad = () =>
    new TypeError(
      `${where}: the prefix must be a URL prefix: a scheme such as 'https://' or an absolute URL such as 'https://api.example.com/v2/'; got ${describeUrlValue(prefix)}.`,
    );
  if (typeof prefix !== 'string') throw bad();
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?$/i.exec(prefix);
  if (scheme) return `${scheme[1]!.toLowerCase()}:${scheme[2] ?? ''}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(prefix)) throw bad();
  try {
    return new URL(prefix).href;
  } catch {
    throw bad();
  }
}

/**
 * Checks `init.fetchstack`: a plain object whose keys are those one call may set. The layers
 * read and check the values themselves; what only the session knows is checked here.
 * Throws `TypeError` naming `where`.
 */
export function checkCallOptions(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isPlainRecord(value)) {
    throw new TypeError(
      `${where}: "fetchstack" must be an object { ${perCallKeys.join(', ')} }; got ${describeValue(value)}.`,
    );
  }
  assertKnownKeys(value, perCallKeys, `${where}: "fetchstack"`);
  checkPerCallValues(value, where);
}
