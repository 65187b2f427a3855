// The session's `timeout` option, made of two layers: the total limit outside retry (it
// covers every try and every wait) and the attempt/read limits inside it (each try, each
// redirect hop, gets its own clock). `connect` belongs to the transport (transport.ts).

import type { Fetch } from '@fetchstack/core';
import {
  assertKnownKeys,
  assertNumber,
  describeValue,
  readsLazyAbort,
} from '@fetchstack/core/internal';
import type { TransportOptions } from '@fetchstack/proxy';
import { splitTimeout, type TimeoutOptions } from '@fetchstack/timeout';
import { asOption, type Layer, layer } from './layer.js';

/** Timeouts of a session, in ms. */
export interface SessionTimeoutOptions extends Omit<TimeoutOptions, 'total'> {
  /**
   * Until the final response's headers, retries and their waits included. In a session it
   * is on by default: leave it out and 30 s apply; `false` removes it.
   * @default 30_000
   */
  total?: number | false | undefined;
  /**
   * Until the TCP (and TLS) connection is up, per connection. Server runtimes only: it
   * belongs to the transport (`@fetchstack/proxy`), so a mount may set it and one call may not.
   * @default undefined (the platform's own, 10 s in undici)
   */
  connect?: TransportOptions['connect'] | undefined;
}

/** The `timeout` option of a session, a mount or one call (`true`: the session's own, or the default). */
export type TimeoutOption = number | SessionTimeoutOptions | boolean | undefined;

export interface TimeoutLayerOptions {
  /**
   * A number (the total timeout in ms), `{ total, attempt, read, connect }`, `true` (the
   * default; in a mount, the session's) or `false` (none).
   * In an object, `total` stays 30 s unless you set it (or pass `total: false`).
   * @default { total: 30_000 }
   * @example createSession({ timeout: { total: 60_000, connect: 3_050, read: 10_000 } })
   */
  timeout?: TimeoutOption;
}

const defaultTotalTimeout = 30_000;

/**
 * A mount's `timeout` over the session's, as one call's is: a number is the total, options are
 * merged over the session's (`false` stands as it is). The session's `connect` stays with the
 * session's transport (a mount that sets its own gets a transport of its own).
 */
export function timeoutOver(base: TimeoutOption, own: TimeoutOption): TimeoutOption {
  if (own === false || own === undefined) return own;
  // true: the session's limits as they are (its connect stays with its transport).
  if (own === true) own = {};
  let under: SessionTimeoutOptions = {};
  if (typeof base === 'number') under = { total: base };
  else if (base === false) under = { total: false };
  else if (typeof base === 'object' && base) {
    const { connect: _, ...rest } = base;
    under = rest;
  }
  return typeof own === 'number' ? { ...under, total: own } : { ...under, ...own };
}

const keys = ['total', 'attempt', 'read', 'connect'];

/**
 * The limits of a `timeout` value: what the timeout layers enforce (`undefined`: none) and
 * the transport's connect timeout. Throws `TypeError` naming `where`.
 */
export function readTimeout(
  value: TimeoutOption,
  where: string,
): { limits: TimeoutOptions | undefined; connect: number | undefined } {
  if (value === false) return { limits: undefined, connect: undefined };
  if (value === undefined || value === true) {
    return { limits: { total: defaultTotalTimeout }, connect: undefined };
  }
  if (typeof value === 'number') return { limits: { total: value }, connect: undefined };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${where}: "timeout" must be a number of ms (the total), { total, attempt, read, connect }, true or false; got ${describeValue(value)}.`,
    );
  }
  assertKnownKeys(value, keys, `${where}: "timeout"`);
  const { connect, total, attempt, read } = value;
  assertNumber(connect, 'timeout.connect', where, { min: 1, unit: 'ms' });
  const limits: TimeoutOptions = {};
  if (attempt !== undefined) limits.attempt = attempt;
  if (read !== undefined) limits.read = read;
  if (total !== false) limits.total = total ?? defaultTotalTimeout;
  const none =
    limits.total === undefined && limits.attempt === undefined && limits.read === undefined;
  return { limits: none ? undefined : limits, connect };
}

/**
 * Both halves. A half with no limit of its own is still there: it enforces what a call asks
 * for in `init.fetchstack.timeout`, and passes every other call straight through.
 */
function halves(value: TimeoutOption, where: string) {
  const { limits } = readTimeout(value, where);
  return asOption(where, 'timeout', () => splitTimeout(limits ?? false));
}

/**
 * The session's layers beneath a timeout, marked as taking the call's abort from its context:
 * each of them passes the context on and reads the abort with `abortOf()` or `signalOf()`, and
 * the transport row hands a real `AbortSignal` to any fetch beneath that needs one. So the
 * timeout arms its limits with a timer and no `AbortSignal` per call.
 */
function readingContext(next: Fetch): Fetch {
  const marked: Fetch = (input, init) => next(input, init);
  (marked as { [readsLazyAbort]?: boolean })[readsLazyAbort] = true;
  return marked;
}

export const totalTimeoutLayer: Layer<TimeoutLayerOptions, true, true> = layer({
  name: 'timeout: total',
  options: ['timeout'],
  mount: true,
  perCall: true,
  checkPerCall(value: unknown, where: string) {
    if (typeof value === 'object' && value !== null && 'connect' in value) {
      throw new TypeError(
        `${where}: "connect" cannot change for one call (it belongs to the connections, which calls share); set it on the session or a mount.`,
      );
    }
  },
  build(values: TimeoutLayerOptions, site) {
    const { outer } = halves(values.timeout, site.where);
    return (next) => outer(readingContext(next));
  },
});

export const attemptTimeoutLayer: Layer<TimeoutLayerOptions, true, true> = layer({
  name: 'timeout: attempt, read',
  options: ['timeout'],
  mount: true,
  perCall: true,
  build(values: TimeoutLayerOptions, site) {
    const { inner } = halves(values.timeout, site.where);
    return (next) => inner(readingContext(next));
  },
});
