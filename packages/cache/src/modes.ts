// The Fetch standard's `cache` modes (RequestInit.cache, Request.cache), which the layer owns:
// it answers them itself, and decides what reaches the fetch beneath.
import { extendInit, headersOf, type Input, isRequest, runtime } from '@fetchstack/core/internal';

export type Mode =
  | 'default'
  | 'no-store'
  | 'reload'
  | 'no-cache'
  | 'force-cache'
  | 'only-if-cached';

const modes: ReadonlySet<string> = new Set([
  'default',
  'no-store',
  'reload',
  'no-cache',
  'force-cache',
  'only-if-cached',
]);

/** The call's cache mode: `init.cache`, else the Request's, else `'default'`. */
export function modeOf(input: Input, init: RequestInit | undefined): Mode {
  let mode: unknown = init?.cache;
  if (mode === undefined && isRequest(input)) {
    try {
      mode = input.cache;
    } catch {
      // workerd: `Request.cache` may throw as not implemented.
    }
  }
  if (mode === undefined || mode === null) return 'default';
  if (typeof mode !== 'string' || !modes.has(mode)) {
    throw new TypeError(
      `fetch(input, init): "cache" must be one of ${[...modes].join(', ')}; got ${JSON.stringify(mode)}.`,
    );
  }
  return mode as Mode;
}

/**
 * The init of a call the layer sends on to the network for `mode`, with `headers` (the call's,
 * plus any the layer adds), so that the fetch beneath never applies a mode a second time in a
 * way that changes the wire unexpectedly:
 *
 * - Server runtimes and workerd keep no HTTP cache of their own: the mode stops at the layer
 *   (`cache` is left out of the init), and the layer puts on the wire what the standard says
 *   the mode adds (`Pragma: no-cache` and `Cache-Control: no-cache` for no-store and reload,
 *   `Cache-Control: max-age=0` for no-cache), the same in every such runtime.
 * - Browsers have their own HTTP cache beneath the layer: the mode goes on to it unchanged
 *   (so `reload` also reloads the browser's copy, and the browser adds those headers itself,
 *   without a CORS preflight), except `only-if-cached`, which the layer has answered (the
 *   browser allows it only for same-origin requests).
 */
export function forwardInit(
  input: Input,
  init: RequestInit | undefined,
  mode: Mode,
  headers?: Headers,
): RequestInit | undefined {
  const patch: RequestInit = {};
  let changed = false;
  let out = headers;
  if (runtime === 'browser') {
    if (init?.cache === 'only-if-cached') {
      patch.cache = undefined as unknown as RequestCache;
      changed = true;
    }
  } else {
    if (init?.cache !== undefined) {
      patch.cache = undefined as unknown as RequestCache;
      changed = true;
    }
    if (mode === 'no-store' || mode === 'reload' || mode === 'no-cache') {
      out ??= headersOf(input, init);
      if (mode === 'no-cache') {
        if (!out.has('cache-control')) out.set('cache-control', 'max-age=0');
      } else {
        if (!out.has('pragma')) out.set('pragma', 'no-cache');
        if (!out.has('cache-control')) out.set('cache-control', 'no-cache');
      }
    }
  }
  if (out !== undefined) {
    patch.headers = out;
    changed = true;
  }
  if (!changed) return init;
  const next = extendInit(init, patch);
  if (next.cache === undefined) delete next.cache;
  return next;
}
