import { abortOf } from './call.js';
import { type CallContext, contextKey, contextOf, extendInit } from './context.js';
import { isRequest } from './runtime.js';

/**
 * What can abort a call: an `AbortSignal`, or a `LazyAbort` (which makes an `AbortSignal`
 * only when something asks for one). Both say `aborted` and `reason`, and take `'abort'`
 * listeners (undici's `request()` accepts either).
 */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The reason an aborted signal carries (`null`, `0` or `''` included: fetch rejects with
 * exactly that), or a DOMException like the platform's when it carries none.
 */
export function abortReason(signal: AbortLike): unknown {
  const { reason } = signal;
  return reason === undefined
    ? new DOMException('This operation was aborted', 'AbortError')
    : reason;
}

/**
 * Waits `ms`, or rejects at once with the signal's reason when it aborts.
 * The timer and the listener are both gone when the promise settles.
 */
export function delay(ms: number, signal?: AbortLike | null): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortLike));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
export function abortable<T>(promise: Promise<T>, signal: AbortLike | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A call's abort made without an `AbortSignal` until one is needed: creating one costs
 * several µs per call on Node 20, and most calls end before any timeout. It follows
 * `parent` (the caller's signal, or a `LazyAbort` above), and aborts when either `abort()`
 * is called or the parent aborts. A timeout layer puts it in the call context
 * (`contextOf(init).abort`); `signalOf()` turns it into a real `AbortSignal` for code that
 * hands one on (a fetch beneath that reads `init.signal`, an abortable wait), and
 * `abortOf()` gives it as it is to code that only listens (the Node transport).
 * `release()` drops its listener on the parent (the call is over); idempotent.
 */
/** The deadlines of the `AbortSignal`s timeouts put in `init.signal` (see `deadlineOf`). */
const signalDeadlines = new WeakMap<object, number>();

/**
 * When a call's abort (a `LazyAbort`, or the `AbortSignal` a timeout put in `init.signal`) fires
 * because of a timeout: `performance.now()` time, the earliest of that timeout's and those above
 * it; `undefined`: no timeout's. A retry layer does not start a wait that would end after it.
 */
export function deadlineOf(abort: AbortLike | undefined): number | undefined {
  if (abort === undefined) return undefined;
  return abort instanceof LazyAbort ? abort.deadline : signalDeadlines.get(abort);
}

/** Records the deadline of a timeout's `AbortSignal` (the one it put in `init.signal`). */
export function setSignalDeadline(signal: AbortSignal, deadline: number): void {
  signalDeadlines.set(signal, deadline);
}

export class LazyAbort implements AbortLike {
  /** The signal the call carried when this was made (`signalOf` compares it to tell a newer one set beneath). */
  readonly own: AbortSignal | null | undefined;
  /** When the timeout that made this fires (see `deadlineOf`); set by that timeout. */
  deadline: number | undefined = undefined;
  readonly #parent: AbortLike | undefined;
  #fired = false;
  #reason: unknown;
  #listeners: (() => void)[] | undefined;
  #onParent: (() => void) | undefined;
  #controller: AbortController | undefined;

  /** `parent`: what `abortOf(input, init)` gives, for a caller that has read it already. */
  constructor(
    input: string | URL | Request,
    init: RequestInit | undefined,
    parent: AbortLike | undefined = abortOf(input, init),
  ) {
    this.own =
      init?.signal !== undefined ? init.signal : isRequest(input) ? input.signal : undefined;
    this.#parent = parent;
  }

  get aborted(): boolean {
    return this.#fired || this.#parent?.aborted === true;
  }

  get reason(): unknown {
    if (this.#fired) return this.#reason;
    return this.#parent?.aborted ? abortReason(this.#parent) : undefined;
  }

  abort(reason: unknown): void {
    if (this.#fired) return;
    this.#fired = true;
    this.#reason = reason;
    this.release();
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.#fired) return;
    const parent = this.#parent;
    if (parent && !this.#onParent) {
      this.#onParent = () => this.abort(abortReason(parent));
      parent.addEventListener('abort', this.#onParent, { once: true });
    }
    // Most calls have one listener (the transport's): a list of one, not a list grown by push.
    if (this.#listeners) this.#listeners.push(listener);
    else this.#listeners = [listener];
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    const at = listeners ? listeners.indexOf(listener) : -1;
    if (at === -1) return;
    if (listeners!.length === 1) this.#listeners = undefined;
    else listeners!.splice(at, 1);
  }

  /** A real `AbortSignal` that aborts with this (made on the first call, the same one after). */
  signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.aborted) controller.abort(this.reason);
      else this.addEventListener('abort', () => controller.abort(this.#reason));
    }
    return this.#controller.signal;
  }

  release(): void {
    if (this.#onParent) this.#parent!.removeEventListener('abort', this.#onParent);
  }
}

// One descriptor for every call, so that defining it costs little (V8 shares the shape).
const lazySignal: PropertyDescriptor = {
  get(this: RequestInit) {
    return contextOf(this).abort?.signal();
  },
  enumerable: true,
  configurable: true,
};

/**
 * `init` for code that reads `init.signal` but not the call context (a fetch that is not
 * fetchstack's, a user's middleware): when the call's abort is a `LazyAbort`, a copy whose
 * `signal` is a getter that makes its `AbortSignal` when first read (spreading the init or
 * building a `Request` from it reads it), so code that never reads it costs none. With
 * `context`, the copy's call context is extended by it too (one copy for both). With
 * `inPlace`, `init` itself is changed instead of a copy: a copy of the caller's own made for
 * this one call, which nothing else will send (a session's `trip`).
 */
export function exposeSignal(
  input: string | URL | Request,
  init: RequestInit | undefined,
  context?: Partial<CallContext>,
  inPlace = false,
): RequestInit | undefined {
  const lazy = abortOf(input, init) instanceof LazyAbort;
  if (!lazy && !context) return init;
  const out = inPlace && init !== undefined ? init : extendInit(init, undefined);
  if (context) {
    (out as { [contextKey]?: CallContext })[contextKey] = extendInit(contextOf(init), context);
  }
  if (lazy) Object.defineProperty(out, 'signal', lazySignal);
  return out;
}
