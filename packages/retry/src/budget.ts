import { assertKnownKeys, assertOptionsObject, describeValue } from '@fetchstack/core/internal';

/** How much retrying a budget allows. */
export interface RetryBudgetOptions {
  /**
   * Retries may add at most this share of the first tries seen in the window.
   * @default 0.2
   * @example { ratio: 0.1 } // retries add at most 10 % to the traffic
   */
  ratio?: number;
  /**
   * The sliding window, in ms, over which tries and retries are counted.
   * @default 10_000
   * @example { windowMs: 60_000 }
   */
  windowMs?: number;
  /**
   * A reserve of retries per second of the window, so that a quiet client can still retry.
   * @default 10
   * @example { minPerSecond: 1 }
   */
  minPerSecond?: number;
}

const buckets = 10;
const where = 'retry(): "budget"';

/**
 * A retry budget as in Finagle and tower: within the last `windowMs`, retries may
 * add at most `ratio` × the first tries, plus `minPerSecond` × the window's
 * seconds. Share one instance between several `retry()` layers (or sessions) to
 * cap them together.
 *
 * @example
 * const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minPerSecond: 10 });
 * const a = wrap(fetch, retry({ budget }));
 * const b = wrap(fetch, retry({ budget, limit: 5 }));
 */
export class RetryBudget {
  readonly ratio: number;
  readonly windowMs: number;
  readonly minPerSecond: number;
  readonly #width: number;
  readonly #requests = new Array<number>(buckets).fill(0);
  readonly #retries = new Array<number>(buckets).fill(0);
  #current = 0;

  constructor(options: RetryBudgetOptions = {}) {
    assertOptionsObject(options, where);
    assertKnownKeys(options, ['ratio', 'windowMs', 'minPerSecond'], where);
    const { ratio = 0.2, windowMs = 10_000, minPerSecond = 10 } = options;
    check(
      ratio,
      'ratio',
      Number.isFinite(ratio) && ratio >= 0,
      'a number >= 0 (0.2 = retries add at most 20 %)',
    );
    check(
      windowMs,
      'windowMs',
      Number.isFinite(windowMs) && windowMs >= 100,
      'a number of ms >= 100',
    );
    check(
      minPerSecond,
      'minPerSecond',
      Number.isFinite(minPerSecond) && minPerSecond >= 0,
      'a number >= 0',
    );
    this.ratio = ratio;
    this.windowMs = windowMs;
    this.minPerSecond = minPerSecond;
    this.#width = windowMs / buckets;
    this.#current = Math.floor(Date.now() / this.#width);
  }

  /** Counts a first try (every call through a `retry()` layer using this budget). */
  deposit(): void {
    this.#advance();
    this.#requests[this.#current % buckets]! += 1;
  }

  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryWithdraw(): boolean {
    this.#advance();
    if (this.#sum(this.#retries) + 1 > this.#allowed()) return false;
    this.#retries[this.#current % buckets]! += 1;
    return true;
  }

  /** Retries still allowed in the current window. */
  get available(): number {
    this.#advance();
    return Math.max(0, Math.floor(this.#allowed() - this.#sum(this.#retries)));
  }

  #allowed(): number {
    return this.ratio * this.#sum(this.#requests) + (this.minPerSecond * this.windowMs) / 1000;
  }

  #sum(counts: number[]): number {
    let total = 0;
    for (const n of counts) total += n;
    return total;
  }

  /** Empties the buckets that slid out of the window since the last call. */
  #advance(): void {
    const now = Math.floor(Date.now() / this.#width);
    const stale = Math.min(buckets, now - this.#current);
    for (let i = 1; i <= stale; i++) {
      const index = (this.#current + i) % buckets;
      this.#requests[index] = 0;
      this.#retries[index] = 0;
    }
    if (now > this.#current) this.#current = now;
  }
}

function check(value: unknown, key: string, valid: boolean, want: string): void {
  if (!valid)
    throw new TypeError(`${where}: "${key}" must be ${want}; got ${describeValue(value)}.`);
}
