import { assertKnownKeys, assertNumber, assertOptionsObject } from '@fetchstack/core/internal';

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

/** Checks budget options (a `TypeError` naming the key), with the defaults filled in. */
export function readBudgetOptions(
  options: RetryBudgetOptions | undefined,
  where: string,
): Required<RetryBudgetOptions> {
  assertOptionsObject(options, where);
  assertKnownKeys(options ?? {}, ['ratio', 'windowMs', 'minPerSecond'], where);
  const { ratio = 0.2, windowMs = 10_000, minPerSecond = 10 } = options ?? {};
  assertNumber(ratio, 'ratio', where);
  assertNumber(windowMs, 'windowMs', where, { min: 100, unit: 'ms' });
  assertNumber(minPerSecond, 'minPerSecond', where);
  return { ratio, windowMs, minPerSecond };
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
  readonly ratio: number;
  readonly windowMs: number;
  readonly minPerSecond: number;
  readonly #width: number;
  readonly #requests = new Array<number>(buckets).fill(0);
  readonly #retries = new Array<number>(buckets).fill(0);
  #current = 0;

  readonly #now: () => number;

  /**
   * @param options the budget (see `RetryBudgetOptions`)
   * @param now the clock, in ms (tests pass their own)
   */
  constructor(options: RetryBudgetOptions = {}, now: () => number = Date.now) {
    const { ratio, windowMs, minPerSecond } = readBudgetOptions(options, 'retry(): "budget"');
    this.ratio = ratio;
    this.windowMs = windowMs;
    this.minPerSecond = minPerSecond;
    this.#now = now;
    this.#width = windowMs / buckets;
    this.#current = Math.floor(now() / this.#width);
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
    const now = Math.floor(this.#now() / this.#width);
    const stale = Math.min(buckets, now - this.#current);
    for (let i = 1; i <= stale; i++) {
      const index = (this.#current + i) % buckets;
      this.#requests[index] = 0;
      this.#retries[index] = 0;
    }
    if (now > this.#current) this.#current = now;
  }
}
