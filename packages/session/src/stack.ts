// The session's layers, in order: one row per layer. The session's option keys, the keys a
// mount may set, the keys `init.fetchstack` may set, the check of every value and the order
// the layers are composed in all come from this list; the README's diagram draws it.
//
// Adding a layer (a cache, a limiter) = one file under `layers/` exporting a row, and one
// line here at the place it belongs in the order. See CONTRIBUTING.md.

import { compose, type Fetch, type Middleware } from '@fetchstack/core';
import { authLayer } from './layers/auth.js';
import { cacheLayer } from './layers/cache.js';
import { cookiesLayer } from './layers/cookies.js';
import { cooldownLayer } from './layers/cooldown.js';
import { headersLayer } from './layers/headers.js';
import { hooksLayer } from './layers/hooks.js';
import { type Layer, loadedRun, type StackSite } from './layers/layer.js';
import { limitLayer } from './layers/limit.js';
import { redirectLayer } from './layers/redirect.js';
import { retryLayer } from './layers/retry.js';
import { attemptTimeoutLayer, totalTimeoutLayer } from './layers/timeout.js';
import { transportLayer } from './layers/transport.js';

/** First = outermost: it sees the call first and the response last. */
export const layers = [
  totalTimeoutLayer,
  cacheLayer, // outside retry: a hit never touches retry, auth, cookies or the network
  retryLayer,
  hooksLayer,
  redirectLayer,
  cooldownLayer, // with a store: waits out a Retry-After any session of the fleet received
  limitLayer, // each try and redirect hop waits for a slot; auth and cookies are read after the wait
  headersLayer,
  authLayer,
  cookiesLayer,
  attemptTimeoutLayer,
  transportLayer,
] as const;

type Row = (typeof layers)[number];
type OptionsOf<R> = R extends Layer<infer O, boolean, boolean> ? O : never;
type MountableOf<R> = R extends Layer<infer O, true, boolean> ? O : never;
type PerCallOf<R> = R extends Layer<infer O, boolean, true> ? O : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** Every option a layer of the session reads. */
export type LayerOptions = Intersect<OptionsOf<Row>>;
/** The options a mount may set. */
export type MountableOptions = Intersect<MountableOf<Row>>;
/** The options one call may set in `init.fetchstack`. */
export type PerCallOptions = Intersect<PerCallOf<Row>>;

const unique = (keys: readonly string[]) => [...new Set(keys)];

/** The option keys the layers read, in the order of the table. */
export const layerKeys: readonly string[] = unique(layers.flatMap((row) => row.options));
/** The option keys a mount may set. */
export const mountKeys: readonly string[] = unique(
  layers.filter((row) => row.mount).flatMap((row) => row.options),
);
/** The option keys `init.fetchstack` may set. */
export const perCallKeys: readonly string[] = unique(
  layers.filter((row) => row.perCall).flatMap((row) => row.options),
);

/**
 * A built stack: one slot per row (`undefined` = the layer is off), and the fetch they make,
 * composed on its first use (a call, once the session's per-call code has loaded).
 */
export interface Stack {
  readonly slots: readonly (Middleware | undefined)[];
  readonly fetch: Fetch;
  /** The rows beneath redirect: what a redirect hop into this stack's URLs goes through. */
  readonly hop: Fetch;
}

/** The rows from here on run once per redirect hop. */
const beneathRedirect = layers.indexOf(redirectLayer) + 1;

/**
 * Builds a stack from the option values in effect (`values`). With `parent` (for a mount),
 * only the rows that read an option in `own` (the mount's own keys) are built again; the
 * others reuse the parent's layer.
 * Each row checks its values as it builds: a bad value throws a `TypeError` here.
 */
export function buildStack(
  values: object,
  own: ReadonlySet<string>,
  site: Omit<StackSite, 'inherited' | 'own' | 'level'>,
  bottom: Fetch,
  parent?: Stack,
): Stack {
  const slots = layers.map((row: Layer<object, boolean, boolean>, index) => {
    const inherited = parent?.slots[index];
    if (parent && !touches(row, own)) return inherited;
    return row.build(values, {
      ...site,
      level: parent ? 'mount' : 'session',
      inherited: parent ? inherited : undefined,
      own,
    });
  });
  let fetch: Fetch | undefined;
  let hop: Fetch | undefined;
  const stack: Stack = {
    slots,
    get fetch() {
      // Each redirect hop goes through the rows beneath redirect of the stack its URL belongs
      // to: a hop out of a mount (or into one) gets that URL's headers, auth, limit, attempt
      // timeout and transport (proxy, TLS), as a call made to it would.
      // (Composed by a call, so the per-call code is there.)
      fetch ??= compose(...slots.slice(0, beneathRedirect))(loadedRun()!.hops(stack, site.session));
      return fetch;
    },
    get hop() {
      hop ??= compose(...slots.slice(beneathRedirect))(bottom);
      return hop;
    },
  };
  return stack;
}

function touches(row: Layer<object, boolean, boolean>, own: ReadonlySet<string>): boolean {
  return row.options.some((key) => own.has(key)) || (row.reads ?? []).some((key) => own.has(key));
}

/** Checks the values of `init.fetchstack` that the rows check themselves (the keys are checked by the caller). */
export function checkPerCallValues(value: Readonly<Record<string, unknown>>, where: string): void {
  for (const row of layers as readonly Layer<object, boolean, boolean>[]) {
    if (!row.perCall || !row.checkPerCall) continue;
    for (const key of row.options) {
      if (value[key] !== undefined) row.checkPerCall(value[key], `${where}: "fetchstack.${key}"`);
    }
  }
}
