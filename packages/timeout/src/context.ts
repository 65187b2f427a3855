// The session's timeout layers: `splitTimeout` whose halves, over a stack that takes the call's
// abort from its context (`readsLazyAbort`), arm their limits with a `LazyAbort` there rather
// than an `AbortSignal` per call. Apart from the rest so that `timeout()` alone, over a fetch
// that reads `init.signal`, does not carry it.
import type { Fetch, Middleware } from '@fetchstack/core';
import { LazyAbort, readsLazyAbort, withContext } from '@fetchstack/core/internal';
import { type Link, splitWith, type TimeoutOptions } from './timeout.js';

const contextLink: Link = (input, init) => {
  const abort = new LazyAbort(input, init);
  return [abort, withContext(init, { abort })];
};

const linkFor = (next: Fetch): Link | undefined =>
  (next as { [readsLazyAbort]?: unknown })[readsLazyAbort] === true ? contextLink : undefined;

/**
 * `splitTimeout(limits)`, but over a fetch marked `readsLazyAbort` no `AbortSignal` is made
 * unless something beneath asks for one (making one costs several µs per call on Node 20).
 */
export function splitTimeout(limits: number | TimeoutOptions | false): {
  outer: Middleware;
  inner: Middleware;
} {
  return splitWith(limits, linkFor);
}
