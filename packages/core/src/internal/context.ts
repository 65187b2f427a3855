import type { LazyAbort } from './abort.js';

/**
 * Per-call context that layers hand to the layers beneath them, carried on the
 * `init` object under a registered symbol (so it survives bundles and realms,
 * and the platform's fetch ignores it). Layers never mutate a context: they pass
 * a new `init` with `withContext`.
 */
export interface CallContext {
  /** Set by retry: 2 for the first retry, 3 for the next, ...; missing on a first try (read it as `attempt ?? 1`). */
  attempt?: number;
  /** Set by redirect on every hop after the first. */
  redirect?: {
    /** The URL the caller asked for (before any redirect). */
    initial: URL;
    /** The URL whose response redirected here. */
    previous: URL;
    /** 1 for the first redirect followed, ... */
    hop: number;
  };
  /** When the whole call started (ms since epoch), set by the outermost layer that cares. */
  startedAt?: number;
  /**
   * The call's abort when a timeout above armed it without an `AbortSignal` (read it with
   * `abortOf()`, or `signalOf()` for a real signal).
   */
  abort?: LazyAbort;
  /** Anything else a layer wants to pass down: namespaced by package name. */
  [key: string]: unknown;
}

/**
 * Set by the headers layer, under `defaultsKey`, on a call whose `Authorization` is one of its
 * defaults (not set by the call): an auth layer beneath adds its own credentials over it, as a
 * session's auth wins over a default header in requests.
 */
export const defaultsKey = 'fetchstack/headers';
export const defaultAuthorization = 'authorization from the defaults';

export const contextKey: unique symbol = Symbol.for('fetchstack.context') as typeof contextKey;

type WithContext = RequestInit & { [contextKey]?: CallContext };

/** What `contextOf` gives a call with no context: one frozen object, not a new one per call. */
const noContext: Readonly<CallContext> = Object.freeze({});

/** The context a layer above attached to this call, or an empty one. */
export function contextOf(init: RequestInit | undefined): Readonly<CallContext> {
  return (init as WithContext | undefined)?.[contextKey] ?? noContext;
}

/**
 * A new init: `init` with its context extended by `patch` (neither is mutated). A call with no
 * context yet gets `patch` itself as its context (contexts are never changed once made, so it
 * may be a constant or shared by several calls), which saves a copy on most calls.
 */
export function withContext(
  init: RequestInit | undefined,
  patch: Partial<CallContext>,
): RequestInit {
  const next: WithContext = init === undefined ? {} : extendInit(init as WithContext, undefined);
  const context = (init as WithContext | undefined)?.[contextKey];
  next[contextKey] = context === undefined ? patch : extendInit(context, patch);
  return next;
}

/**
 * `{ ...init, ...patch }`, the same object (the same own enumerable keys, symbols included, in
 * the same order), made with `Object.assign`: on Node 20's V8 a spread followed by more
 * properties takes a slow path (about 1 µs a call, measured), and every layer does one per
 * call. An own `"__proto__"` key, which `Object.assign` would take for the prototype, keeps
 * the spread.
 */
export function extendInit<T extends object>(
  init: T | undefined,
  patch: Partial<T> | undefined,
): T {
  if (init != null && Object.hasOwn(init, '__proto__')) return { ...init, ...patch } as T;
  return Object.assign({}, init, patch) as T;
}

/**
 * The `init` a session made for the one try, or redirect hop, it is handing down now (its
 * redirect layer's copy with `redirect: 'manual'`), which nothing above will send again: the
 * session's own rows beneath, and a headers layer among them, add to it in place instead of
 * copying it once more. Only a session sets it, and it clears it before the call reaches
 * anything that may send one `init` twice (an auth layer) or is not its own (your fetch, the
 * transport): a layer used on its own never finds its call's `init` here.
 */
export const trip: {
  init: RequestInit | undefined;
  /** The headers a headers layer merged into `init` for this try: a cookie layer adds to them. */
  headers: Headers | undefined;
} = { init: undefined, headers: undefined };

// Here rather than in abort.ts, so that code which only marks a fetch does not load the aborts.
/**
 * Set to `true` on a fetch function that takes a call's `LazyAbort` from its context (reads
 * `abortOf()` or `signalOf()`, and hands a real signal to anything beneath that needs one).
 * A timeout layer over such a fetch arms its limits without making an `AbortSignal`; over
 * any other fetch it puts a real one in `init.signal`.
 */
export const readsLazyAbort: unique symbol = Symbol.for(
  'fetchstack.lazyAbort',
) as typeof readsLazyAbort;

/**
 * The clock reading of the call a timeout layer is arming now (`performance.now()`, which it
 * reads for its deadline), set while it hands the call down and put back after: a layer
 * beneath that counts the call in the same step (a session's retry budget) takes it instead
 * of reading a clock of its own. `undefined` outside of that step.
 */
export const armedAt: { at: number | undefined } = { at: undefined };

/**
 * `performance.now()`, or the reading of the call being armed (see `armedAt`): a few
 * microseconds earlier at most, the time of that call's synchronous setup.
 */
export function callClock(): number {
  return armedAt.at ?? performance.now();
}
