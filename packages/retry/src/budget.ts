import { readOptions } from '@fetchstack/core/internal';

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

/** Checks budget options (a `TypeError` naming the key), with the defaults filled in. */
export function readBudgetOptions(
  options: RetryBudgetOptions | undefined,
  where: string,
): Required<RetryBudgetOptions> {
  return readOptions(
    options,
    { ratio: [0.2], windowMs: [10_000, 'ms', false, 100], minPerSecond: [10] },
    where,
  ) as Required<RetryBudgetOptions>;
}

/**
 * What `retry({ budget })` uses of a budget: `RetryBudget`, or any object that keeps its
 * counts elsewhere (such as a fleet's, shared through a store). `deposit()` is called once per
 * call (its first try), `tryWithdraw()` before each retry (synchronously: answer from memory);
 * the three numbers appear in the `RetryError` message when it says no.
 */
export interface RetryBudgetLike {
  readonly ratio: number;
  readonly windowMs: number;
  readonly minPerSecond: number;
  /** Counts a first try. */
  deposit(): void;
  /** Takes one retry; `false` (and nothing taken) when the budget is spent. */
  tryWithdraw(): boolean;
}

/** Whether `value` is a budget object (`RetryBudget` or one of its kind). */
export function isBudget(value: unknown): value is RetryBudgetLike {
  const b = value as RetryBudgetLike | null | undefined;
  return typeof b?.deposit === 'function' && typeof b.tryWithdraw === 'function';
}

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
export class RetryBudget implements RetryBudgetLike {
  declare readonly ratio: number;
  declare readonly windowMs: number;
  declare readonly minPerSecond: number;
  /** The window's ten buckets (each a tenth of it), two counts each: first tries, then retries. */
  readonly #counts: number[] = Array(20).fill(0);
  /** The number of the current bucket: the clock divided by the bucket's width. */
  #bucket: number;
  readonly #now: () => number;

  /**
   * @param options the budget (see `RetryBudgetOptions`)
   * @param now the clock, in ms (tests pass their own)
   */
  constructor(options: RetryBudgetOptions = {}, now: () => number = Date.now) {
    // ratio, windowMs and minPerSecond.
    Object.assign(this, readBudgetOptions(options, 'retry(): "budget"'));
    this.#now = now;
    this.#bucket = this.#clock();
  }

  /** Counts a first try (every call through a `retry()` layer using this budget). */
  deposit(): void {
    this.#counts[this.#advance()]! += 1;
  }

  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryWithdraw(): boolean {
    const [allowed, retries, at] = this.#count();
    if (retries + 1 > allowed) return false;
    this.#counts[at + 1]! += 1;
    return true;
  }

  /** Retries still allowed in the current window. */
  get available(): number {
    const [allowed, retries] = this.#count();
    return Math.max(0, Math.floor(allowed - retries));
  }

  #clock(): number {
    return Math.floor(this.#now() / (this.windowMs / 10));
  }

  /** [retries allowed, retries taken, the current bucket's index] over the window. */
  #count(): [number, number, number] {
    const at = this.#advance();
    let tries = 0;
    let retries = 0;
    for (let i = 0; i < 20; i += 2) {
      tries += this.#counts[i]!;
      retries += this.#counts[i + 1]!;
    }
    return [this.ratio * tries + (this.minPerSecond * this.windowMs) / 1000, retries, at];
  }

  /**
   * Empties the buckets that slid out of the window since the last call; the index of the
   * current bucket's first tries.
   */
  #advance(): number {
    const now = this.#clock();
    for (let b = this.#bucket + 1; b <= now && b <= this.#bucket + 10; b++) {
      this.#counts[(b % 10) * 2] = this.#counts[(b % 10) * 2 + 1] = 0;
    }
    if (now > this.#bucket) this.#bucket = now;
    return (this.#bucket % 10) * 2;
  }
}
