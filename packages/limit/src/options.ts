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
}

export const optionKeys: readonly string[] = ['concurrency', 'rate'];
export const rateKeys: readonly string[] = ['requests', 'per'];
