// The options of `limit()` (and of a session's `limit`), apart from the engine, so that the
// check can be loaded without it.

/** How many calls may start in a window of time. */
export interface RateOptions {
  /** The most calls started in any window of `per` ms (an integer >= 1). */
  requests: number;
  /** The window, in ms (>= 1). */
  per: number;
}

/** What `limit()` caps, per origin. Give `concurrency`, `rate` or both. */
export interface LimitOptions {
  /**
   * The most calls to one origin in flight at once (an integer >= 1). A call holds its slot
   * until its response arrives (or it fails), not while its body is read.
   * @example limit({ concurrency: 8 })
   */
  concurrency?: number | undefined;
  /**
   * At most `requests` calls to one origin started in any window of `per` ms.
   * @example limit({ rate: { requests: 10, per: 1_000 } }) // 10 per second
   */
  rate?: RateOptions | undefined;
  /**
   * Where the counts are kept so that the caps hold across processes (a fleet): such as
   * `createRedisStore()` from `@fetchstack/redis`. Without it, each limiter counts alone.
   */
  store?: LimitStore | undefined;
}

/** What a store is asked when a call wants a slot: the caps of the limiter. */
export interface LimitCaps {
  /** The most calls in flight for the key, fleet-wide (`undefined`: no such cap). */
  concurrency: number | undefined;
  /** The most calls started per window, fleet-wide (`undefined`: no such cap). */
  rate: RateOptions | undefined;
}

/**
 * Where a limiter keeps its counts so that they hold across processes (such as the store of
 * `@fetchstack/redis`). A slot taken is a lease with a deadline, so the slots of a process that
 * dies are freed when their deadline passes.
 *
 * A store that throws (or rejects) never fails a call: the limiter counts in this process
 * instead, and asks the store again for the next call.
 */
export interface LimitStore {
  /**
   * Takes a slot of `key` if the caps allow it now: resolves to the lease to give back, or to
   * how long to wait (ms) before asking again.
   */
  acquireSlot(key: string, caps: LimitCaps): Promise<{ lease: string } | { retryIn: number }>;
  /** Gives a slot back. */
  releaseSlot(key: string, lease: string): Promise<void>;
}
