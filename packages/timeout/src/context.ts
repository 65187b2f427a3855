// The session's timeout layers: `splitTimeout` whose halves, over a stack that takes the call's
// abort from its context (`readsLazyAbort`), arm their limits with a `LazyAbort` there rather
// than an `AbortSignal` per call. Apart from the rest so that `timeout()` alone, over a fetch
// that reads `init.signal`, does not carry it.
import type { Fetch, Middleware } from '@fetchstack/core';
import { exposeSignal, LazyAbort, readsLazyAbort, withContext } from '@fetchstack/core/internal';
import { type Link, splitWith, type TimeoutOptions } from './timeout.js';

const contextLink: Link = (input, init) => {
  const abort = new LazyAbort(input, init);
  return [abort, withContext(init, { abort })];
};

// A fetch that reads `init.signal` instead gets a getter there that makes the signal when read.
const exposedLink: Link = (input, init) => {
  const [abort, next] = contextLink(input, init);
  return [abort, exposeSignal(input, next) as RequestInit];
};

const linkFor = (next: Fetch): Link =>
  (next as { [readsLazyAbort]?: unknown })[readsLazyAbort] === true ? contextLink : exposedLink;

/**
 * `splitTimeout(limits)` that makes no `AbortSignal` unless something beneath asks for one
 * (making one costs several µs per call on Node 20): the call's abort goes in the call context,
 * for a fetch marked `readsLazyAbort` (the session's layers); any other fetch finds in
 * `init.signal` a getter that makes the signal when first read.
 */
export function splitTimeout(limits: number | TimeoutOptions | false): {
  outer: Middleware;
  inner: Middleware;
} {
  return splitWith(limits, linkFor);
}
