import { type Fetch, FetchstackError, type Middleware } from '@fetchstack/core';
import { lazily } from '@fetchstack/core/internal';
import type { RetryBudget } from '@fetchstack/retry';
import type { Stack } from '../stack.js';
import type { SessionJar } from './cookies.js';
import type { HookLists } from './hooks.js';
import type { Transport, TransportSettings } from './transport.js';

/**
 * One row of the session's table of layers (`stack.ts`).
 *
 * `O` is the part of the session's options the layer reads (an interface with JSDoc: it
 * becomes part of `SessionOptions`), `M` whether `session.mount(prefix, options)` may set
 * them, `C` whether one call may set them in `init.fetchstack`.
 */
export interface Layer<O extends object, M extends boolean, C extends boolean> {
  /** What the layer is, in a few words (for messages and tests). */
  readonly name: string;
  /** The session options this layer reads. */
  readonly options: readonly (keyof O & string)[];
  /** Other options whose change (in a mount) means this layer is built again. */
  readonly reads?: readonly string[];
  /** Whether a mount may set `options` for the URLs under its prefix. */
  readonly mount: M;
  /**
   * Whether one call may set `options` in `init.fetchstack`. The session checks the keys and
   * passes the values on: the layer itself reads `init.fetchstack` for each call.
   */
  readonly perCall: C;
  /** Checks a per-call value beyond what the layer checks itself (throws `TypeError`). */
  checkPerCall?(value: unknown, where: string): void;
  /**
   * Makes the layer for one stack from the options in effect there (the session's, with a
   * mount's on top). Returns `undefined` when the layer is off. Throws `TypeError` for a bad
   * value, in words that name the option as the user wrote it (`site.where`).
   */
  build(values: Readonly<O>, site: StackSite): Middleware | undefined;
}

/**
 * A layer whose code loads on its first call, for an option most sessions do not set: `make`
 * loads it (an `import()`) and gives the middleware, once per build (its promise is kept); each
 * stack it is composed into makes its fetch from it on its first call, and later calls go
 * straight to that fetch (no promise of the import per call). A session that never calls
 * through the layer never loads it.
 */
export function onFirstCall(make: () => Promise<Middleware>): Middleware {
  let made: Promise<Middleware> | undefined;
  return (next) => {
    let run: Fetch | undefined;
    let ready: Promise<Fetch> | undefined;
    return function loading(input, init) {
      if (run) return run(input, init);
      made ??= make();
      ready ??= made.then((middleware) => {
        run = middleware(next);
        return run;
      });
      return ready.then((fetch) => fetch(input, init));
    };
  };
}

/** Makes a row, keeping the literal types of `mount` and `perCall`. */
export function layer<O extends object, M extends boolean, C extends boolean>(
  row: Layer<O, M, C>,
): Layer<O, M, C> {
  return row;
}

/** What a row sees when it builds. */
export interface StackSite {
  /** What the user called, for messages: `createSession()`, `session.mount("https://x/", options)`. */
  where: string;
  /** Whose stack this is: the session's own, or a mount's (which inherits what it leaves out). */
  level: 'session' | 'mount';
  /** For a mount's stack: the session's layer in this row (reuse it when nothing changes). */
  inherited: Middleware | undefined;
  /** The option keys set at this level (all of the session's; only a mount's own for a mount). */
  own: ReadonlySet<string>;
  /** What every stack of the session shares. */
  session: SessionState;
}

/**
 * The key under which a session marks each call it hands to a fetch of yours: an own property
 * of the call's `init` rather than an entry of its context, so that marking the session's own
 * copy of a call (its redirect layer's, for this one try) copies nothing more. Like the
 * context, it stays on an `init` that your fetch spreads or copies.
 */
export const fetchMarkKey: unique symbol = Symbol('fetchstack.session.fetch');

/** What every stack of one session shares (made once, in `createSession`). */
export interface SessionState {
  /** `session.headers`: the live default headers. */
  readonly headers: Headers;
  /**
   * The call-context entry that marks this session's calls where they reach an auth middleware
   * of yours, so that a call coming back into the session from there is known.
   */
  readonly mark: Readonly<Record<string, unknown>>;
  /**
   * The mark of calls handed to the fetch beneath, when it is yours (the `fetch` option): the
   * value of their `init[fetchMarkKey]`.
   */
  readonly fetchMark: object;
  /** The auth layer of `session.auth` now (replaceable at any time). */
  auth(): Middleware | undefined;
  /** The jar, or `undefined` with `cookies: false`. */
  readonly jar: SessionJar | undefined;
  /** The hooks, one list per name. */
  readonly hooks: HookLists;
  /**
   * Calls the `storeError` hooks with a store's failure (none of them awaited, none able to
   * fail a call); `undefined` when there are none.
   */
  readonly storeError: ((error: unknown) => void) | undefined;
  /** The retry budget every stack of the session draws on, unless one is given. */
  readonly budget: RetryBudget;
  /** The fetch given as the `fetch` option, if any (then no transport is made). */
  readonly fetch: Fetch | undefined;
  /** Makes a transport the session closes with itself (bad settings: `TypeError` naming `where`). */
  transport(settings: TransportSettings, where: string): Transport;
  /**
   * The stack a URL belongs to (its longest mount prefix, else the session's own), for a
   * redirect hop; `undefined` while the session has no mounts (every hop stays where it is).
   */
  route(input: string | URL | Request): Stack | undefined;
  /** Whether `close()` was called. */
  closed(): boolean;
  /** Called (in order, at once) when the session closes: work in the background stops. */
  readonly closers: Set<() => void>;
}

/**
 * Runs a wrapper's factory for a session option, so that a bad value's `TypeError` names
 * what the user called: `retry(): "limit" must be ...` becomes
 * `createSession(): "retry.limit" must be ...`, and `cookies(options): jar must be ...`
 * becomes `createSession(): "cookies": jar must be ...`.
 */
export function asOption<T>(where: string, option: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof TypeError) {
      throw new TypeError(renameMessage(error.message, where, option), { cause: error });
    }
    // A factory's own error (a proxy asked of a browser): the same error, worded for `where`.
    if (error instanceof FetchstackError)
      error.message = renameMessage(error.message, where, option);
    throw error;
  }
}

/**
 * The message of a factory's `TypeError`, reworded for `where` and `option` (`''` when the
 * message already names the option, as the transport's do). Exported for tests.
 */
export function renameMessage(message: string, where: string, option: string): string {
  // A factory's prefix: `name(args):`, or `name(args) part:` naming a part of its options.
  const prefix = /^[A-Za-z_$][\w$]*\([^)]*\)([^:"]*):\s*/.exec(message);
  const join = (...parts: string[]) => parts.filter(Boolean).join('.');
  if (!prefix) return option ? `${where}: "${option}": ${message}` : `${where}: ${message}`;
  let path = join(option, prefix[1]!.trim());
  let rest = message.slice(prefix[0].length);
  const key = /^"([^"]+)"/.exec(rest);
  if (key) {
    path = join(path, key[1]!);
    rest = rest.slice(key[0].length);
    return `${where}: "${path}"${rest}`;
  }
  return path ? `${where}: "${path}": ${rest}` : `${where}: ${rest}`;
}

/** The session's per-call code (run.ts): one module, loaded once per process. */
export type RunCode = typeof import('../run.js');

let runCode: RunCode | undefined;
const loadCode = lazily(() => import('../run.js'));

/**
 * Loads the session's per-call code (run.ts): started when a session is made, awaited by its
 * first call if it is not there yet. Checks stay at creation; only the code that carries calls
 * waits, so a page's first load does not carry it. A failed load is tried again by the next call.
 */
export function loadRun(): Promise<RunCode> {
  return loadCode().then((code) => {
    runCode = code;
    return code;
  });
}

/** The per-call code, once `loadRun()` has settled (`undefined` before). */
export function loadedRun(): RunCode | undefined {
  return runCode;
}

/**
 * A layer made from the per-call code. Stacks are composed on their first call, which the
 * session makes only after `loadRun()` has settled, so `make` always finds the code loaded.
 */
export function later(make: (code: RunCode) => Middleware): Middleware {
  return (next) => make(runCode as RunCode)(next);
}
