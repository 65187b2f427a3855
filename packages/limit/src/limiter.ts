// The counting of `limit()`: a queue and counts per origin, and the layer over it for options
// already checked. Its only imports are core's, which a session has loaded already: a session
// that loads this lazily pays for these lines alone.
import type { Fetch, Middleware } from '@fetchstack/core';
import { abortReason, signalOf, urlOf } from '@fetchstack/core/internal';
import type { LimitCaps, LimitOptions, LimitStore } from './options.js';

/**
 * `limit()` for options already checked (by `checkLimitOptions`): one limiter, and every call
 * through the layer counted by it per origin.
 */
export function limitChecked(options: LimitOptions): Middleware & {
  /** Rejects every call still waiting for a slot with `reason`, and every later one. */
  stop(reason: unknown): void;
} {
  const limiter = new Limiter(options, abortReason);
  const layer = (next: Fetch): Fetch =>
    function limited(input, init) {
      let origin: string;
      try {
        origin = urlOf(input).origin;
      } catch {
        // Not a URL fetch can call: let fetch say so, as it would without the limiter.
        return next(input, init);
      }
      return limiter.run(origin, signalOf(input, init), () => next(input, init));
    };
  return Object.assign(layer, { stop: (reason: unknown) => limiter.stop(reason) });
}

/**
 * Counts calls per origin and makes the ones over a cap wait. `limit()` wraps a fetch with it;
 * use it directly to apply the same caps to other work. Options are not checked here: check
 * them first with `checkLimitOptions` (from `@fetchstack/limit/check`).
 *
 * @example
 * const limiter = new Limiter({ concurrency: 2 }, (signal) => signal.reason);
 * await limiter.run('https://example.com', undefined, () => fetch('https://example.com/'));
 */
export class Limiter {
  private readonly caps: Caps;
  private readonly gates = new Map<string, Gate>();
  private readonly store: LimitStore | undefined;
  private readonly storeCaps: LimitCaps;
  /** Set by `stop()`: what waiting and later calls reject with. */
  private stopped: { reason: unknown } | undefined;

  /**
   * @param options checked options (`concurrency`, `rate`)
   * @param reasonOf the error a waiting call rejects with when its signal aborts
   */
  constructor(
    options: LimitOptions,
    private readonly reasonOf: (signal: AbortSignal) => unknown,
  ) {
    this.caps = {
      concurrency: options.concurrency ?? Number.POSITIVE_INFINITY,
      requests: options.rate?.requests ?? Number.POSITIVE_INFINITY,
      per: options.rate?.per ?? 0,
    };
    this.store = options.store;
    this.storeCaps = { concurrency: options.concurrency, rate: options.rate };
  }

  /**
   * Runs `send` once `key` (an origin) has a free slot, and frees the slot when its promise
   * settles. While it waits, an abort of `signal` rejects at once with the signal's reason
   * (`send` is then never called).
   */
  run<T>(key: string, signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped.reason);
    if (signal?.aborted) return Promise.reject(this.reasonOf(signal));
    if (this.store) return this.fleet(this.store, key, signal, send);
    return this.local(key, signal, send);
  }

  /**
   * Rejects every call waiting for a slot with `reason`, now (they were never sent), and every
   * call made later (a session's `close()` does this).
   */
  stop(reason: unknown): void {
    this.stopped = { reason };
    for (const gate of this.gates.values()) gate.rejectAll(reason);
  }

  private local<T>(
    key: string,
    signal: AbortSignal | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    const gate = this.gate(key);
    if (gate.tryTake()) return settle(gate, send);
    return gate.wait(signal, this.reasonOf).then(() => settle(gate, send));
  }

  /**
   * With a store: asks it for a slot until it grants one (polling at most every 100 ms, sooner
   * when it says so). A store that fails sends the call through this process's own counts.
   */
  private async fleet<T>(
    store: LimitStore,
    key: string,
    signal: AbortSignal | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    for (;;) {
      let answer: { lease: string } | { retryIn: number };
      try {
        answer = await this.abortable(store.acquireSlot(key, this.storeCaps), signal, (late) => {
          if ('lease' in late) store.releaseSlot(key, late.lease).catch(ignore);
        });
      } catch {
        if (signal?.aborted) throw this.reasonOf(signal);
        return this.local(key, signal, send);
      }
      if ('lease' in answer) {
        const lease = answer.lease;
        try {
          return await send();
        } finally {
          store.releaseSlot(key, lease).catch(ignore);
        }
      }
      const wait = Math.min(Math.max(answer.retryIn, 5), 100) * (0.75 + Math.random() / 2);
      await this.abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
      if (this.stopped) throw this.stopped.reason;
    }
  }

  /** `promise`, or the signal's reason as soon as it aborts (`late` gets the value that came too late). */
  private abortable<T>(
    promise: Promise<T>,
    signal: AbortSignal | undefined,
    late?: (value: T) => void,
  ): Promise<T> {
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.reasonOf(signal));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) late?.(value);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private gate(key: string): Gate {
    let gate = this.gates.get(key);
    if (!gate) {
      if (this.gates.size >= 64) {
        const now = Date.now();
        for (const [k, g] of this.gates) if (g.idle(now)) this.gates.delete(k);
      }
      gate = new Gate(this.caps);
      this.gates.set(key, gate);
    }
    return gate;
  }
}

const ignore = () => {};

interface Caps {
  readonly concurrency: number;
  readonly requests: number;
  readonly per: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

function settle<T>(gate: Gate, send: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(send());
  } catch (error) {
    gate.release();
    return Promise.reject(error);
  }
  return pending.then(
    (value) => {
      gate.release();
      return value;
    },
    (error: unknown) => {
      gate.release();
      throw error;
    },
  );
}

/** The counts and the queue of one origin. */
class Gate {
  /** Calls in flight. */
  private active = 0;
  /** When each call of the current window started (ms, oldest first). */
  private readonly starts: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly caps: Caps) {}

  /** Takes a slot now if no call waits and the caps allow it. */
  tryTake(): boolean {
    const now = Date.now();
    if (this.queue.length > 0 || !this.free(now)) return false;
    this.take(now);
    return true;
  }

  /** Resolves when the call has its slot; rejects with the signal's reason if it aborts first. */
  wait(signal: AbortSignal | undefined, reasonOf: (signal: AbortSignal) => unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(reasonOf(signal));
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  release(): void {
    this.active--;
    this.pump();
  }

  /** Rejects every waiting call with `reason`. */
  rejectAll(reason: unknown): void {
    for (const waiter of this.queue.splice(0)) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(reason);
    }
  }

  /** True when nothing is in flight, waiting or counted in the current window. */
  idle(now: number): boolean {
    this.prune(now);
    return this.active === 0 && this.queue.length === 0 && this.starts.length === 0;
  }

  private free(now: number): boolean {
    if (this.active >= this.caps.concurrency) return false;
    if (this.caps.per > 0) {
      this.prune(now);
      if (this.starts.length >= this.caps.requests) return false;
    }
    return true;
  }

  private take(now: number): void {
    this.active++;
    if (this.caps.per > 0) this.starts.push(now);
  }

  /** Forgets the starts that have left the window (`now - per`, `now`]. */
  private prune(now: number): void {
    let n = 0;
    while (n < this.starts.length && (this.starts[n] as number) <= now - this.caps.per) n++;
    if (n > 0) this.starts.splice(0, n);
  }

  /** Lets waiting calls go while the caps allow; when the rate holds them, wakes up as the window moves. */
  private pump(): void {
    while (this.queue.length > 0) {
      const now = Date.now();
      if (!this.free(now)) {
        if (this.active < this.caps.concurrency) this.arm(now);
        return;
      }
      const waiter = this.queue.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.take(now);
      waiter.resolve();
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Wakes the queue when the oldest start leaves the window. */
  private arm(now: number): void {
    if (this.timer !== undefined) return;
    const oldest = this.starts[0] as number;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, oldest + this.caps.per - now + 1),
    );
  }
}
