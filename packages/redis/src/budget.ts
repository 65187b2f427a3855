// A retry budget for a whole fleet, kept in Redis off the hot path: each process counts its
// first tries and retries in memory and, every `flush` ms while it is busy, adds them to
// per-second buckets in Redis (HINCRBY on `{prefix}budget:{name}:{second}`, expiring once out
// of the window) and reads back the fleet's totals over the window in the same round trip
// (one Lua script, on Redis's clock). `tryWithdraw()` answers from memory.
//
// Each flush also gives back half of this process's grant of retries and tops it up to its
// share of what the fleet has left (at most a quarter of it, so that the first process to ask
// leaves enough for the others' first bursts): the script counts a grant as spent at once, so the
// processes, each deciding alone between two flushes, cannot together spend more than the
// fleet's budget, and halving moves the shares to who needs them. A process that dies keeps
// its last grant counted until it leaves the window.
// Beyond its grant, a process may spend what its own first tries not yet seen by the fleet
// allow (`ratio` x those). While Redis cannot be reached, it counts in this process alone
// (the same options, as a local budget would).

/** The options of a budget (as `RetryBudgetOptions` of `@fetchstack/retry`, filled in). */
export interface FleetBudgetOptions {
  ratio: number;
  windowMs: number;
  minPerSecond: number;
}

/** What the budget needs from the store (its commands are bounded by its `timeout`). */
export interface BudgetIO {
  readonly prefix: string;
  script(text: string, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * One flush: adds this process's news to the current second's bucket, then grants it retries
 * from what the fleet has left, counted as spent at once (so that no two processes can spend
 * the same ones). ARGV: key base, window (s), ratio, reserve, first tries, retries taken
 * beyond a grant, retries of its grant given back, retries wanted (-1: up to this process's
 * share of what is left), this process's id, retries of its grant it keeps.
 * Returns { first tries, retries, processes, granted } over the window.
 */
export const flushBudget = `
local t = redis.call('TIME')
local now = tonumber(t[1])
local base = ARGV[1]
local window = tonumber(ARGV[2])
local ratio = tonumber(ARGV[3])
local reserve = tonumber(ARGV[4])
local key = base .. now
local tries = tonumber(ARGV[5])
local net = tonumber(ARGV[6]) - tonumber(ARGV[7])
local want = tonumber(ARGV[8])
if tries > 0 then redis.call('HINCRBY', key, 'tries', tries) end
if net ~= 0 then redis.call('HINCRBY', key, 'retries', net) end
redis.call('HSET', key, 'p:' .. ARGV[9], 1)
redis.call('EXPIRE', key, window + 2)
local totalTries, totalRetries, processes, seen = 0, 0, 0, {}
for s = now - window + 1, now do
  local h = redis.call('HGETALL', base .. s)
  for i = 1, #h, 2 do
    local field = h[i]
    if field == 'tries' then totalTries = totalTries + tonumber(h[i + 1])
    elseif field == 'retries' then totalRetries = totalRetries + tonumber(h[i + 1])
    elseif not seen[field] then seen[field] = true; processes = processes + 1 end
  end
end
local left = math.floor(ratio * totalTries + reserve - totalRetries)
local share = math.ceil(left / math.max(1, processes))
-- At most a quarter of what is left per grant: a process that flushes first (and sees no other
-- yet) must not take what the ones starting beside it will need in their first burst.
if want < 0 then want = math.min(share, math.ceil(left / 4)) - tonumber(ARGV[10]) end
local granted = math.max(0, math.min(want, left, share))
if granted > 0 then
  redis.call('HINCRBY', key, 'retries', granted)
  totalRetries = totalRetries + granted
end
return { totalTries, totalRetries, processes, granted }
`;

/** Counts per second of this process's clock, over a window (for when Redis is away). */
class LocalWindow {
  private readonly tries: number[];
  private readonly retries: number[];
  private second = 0;
  constructor(private readonly seconds: number) {
    this.tries = new Array<number>(seconds).fill(0);
    this.retries = new Array<number>(seconds).fill(0);
  }
  add(tries: number, retries: number): void {
    this.advance();
    this.tries[this.second % this.seconds]! += tries;
    this.retries[this.second % this.seconds]! += retries;
  }
  totals(): [number, number] {
    this.advance();
    let t = 0;
    let r = 0;
    for (let i = 0; i < this.seconds; i++) {
      t += this.tries[i]!;
      r += this.retries[i]!;
    }
    return [t, r];
  }
  private advance(): void {
    const now = Math.floor(Date.now() / 1000);
    const stale = Math.min(this.seconds, now - this.second);
    for (let i = 1; i <= stale; i++) {
      this.tries[(this.second + i) % this.seconds] = 0;
      this.retries[(this.second + i) % this.seconds] = 0;
    }
    if (now > this.second) this.second = now;
  }
}

/**
 * A retry budget shared by every process whose store has the same prefix (and the same
 * budget options): give it to `retry({ budget })`, or let `createSession({ store })` use it.
 */
export class RedisRetryBudget {
  readonly ratio: number;
  readonly windowMs: number;
  readonly minPerSecond: number;
  private readonly base: string;
  private readonly seconds: number;
  private readonly reserve: number;
  private readonly id = Math.random().toString(36).slice(2);
  private readonly local: LocalWindow;
  /**
   * First tries counted here, not yet sent. Once sent, the fleet's totals count them: the
   * grants include their share, so only the ones not sent yet allow retries of their own.
   */
  private tries = 0;
  /** Retries taken beyond a grant (on the first tries not sent yet), not yet sent. */
  private extra = 0;
  /** Retries granted by the fleet and not used yet (replaced by a new grant at each flush). */
  private granted = 0;
  /** Retries asked for (taken or refused) since the last flush: what to ask the fleet for. */
  private demand = 0;
  private healthy = true;
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing = false;
  private idleFlushes = 0;
  private closed = false;
  private stopping = false;
  /** The flush on its way, if any (close() waits for it before the last one). */
  private pending: Promise<void> | undefined;
  private flushed: (() => void) | undefined;

  constructor(
    private readonly io: BudgetIO,
    options: FleetBudgetOptions,
    private readonly flushMs = 200,
  ) {
    this.ratio = options.ratio;
    this.windowMs = options.windowMs;
    this.minPerSecond = options.minPerSecond;
    this.seconds = Math.max(1, Math.ceil(options.windowMs / 1000));
    this.reserve = (options.minPerSecond * options.windowMs) / 1000;
    const name = `${options.ratio}:${options.windowMs}:${options.minPerSecond}`;
    this.base = `${io.prefix}budget:{${name}}:`;
    this.local = new LocalWindow(this.seconds);
  }

  /** Counts a first try. */
  deposit(): void {
    this.tries++;
    this.local.add(1, 0);
    this.start();
  }

  /** Takes one retry if the fleet's budget allows it (answered from memory). */
  tryWithdraw(): boolean {
    this.start();
    this.demand++;
    if (!this.healthy) {
      // Redis away: this process alone, as a local budget with the same options would.
      const [tries, retries] = this.local.totals();
      if (retries + 1 > this.ratio * tries + this.reserve) return false;
      this.extra++;
      this.local.add(0, 1);
      return true;
    }
    if (this.granted > 0) {
      this.granted--;
      this.local.add(0, 1);
      return true;
    }
    // First tries the fleet has not been sent yet: their share of retries is this process's.
    if (this.extra + 1 > this.ratio * this.tries) {
      // Out of its grant: ask the fleet for more now rather than at the next tick.
      if (!this.flushing) queueMicrotask(() => void this.flush().catch(() => {}));
      return false;
    }
    this.extra++;
    this.local.add(0, 1);
    return true;
  }

  /** Retries this process may take now without asking the fleet. */
  get available(): number {
    return this.granted + Math.max(0, Math.floor(this.ratio * this.tries - this.extra));
  }

  /** Sends what is counted, gives back what was not used, and asks for more (one round trip). */
  async flush(): Promise<void> {
    // One at a time: a flush asked for while another is on its way runs after it.
    while (this.flushing) await this.pending;
    if (this.closed) return;
    this.flushing = true;
    const tries = this.tries;
    const extra = this.extra;
    // Half the grant goes back (all of it when stopping), and the grant is topped up to this
    // process's share of what the fleet has left, ready for a burst of failures. The half kept
    // stays usable while the flush is on its way (Redis still counts it as spent); the half
    // given back does not. Halving at each flush moves the shares to who needs them.
    const held = this.stopping ? this.granted : Math.floor(this.granted / 2);
    const want = this.stopping ? 0 : -1;
    this.granted -= held;
    const idle = tries === 0 && extra === 0 && this.demand === 0;
    this.pending = new Promise((resolve) => {
      this.flushed = resolve;
    });
    this.tries = 0;
    this.extra = 0;
    this.demand = 0;
    this.idleFlushes = idle ? this.idleFlushes + 1 : 0;
    try {
      const reply = (await this.io.script(
        flushBudget,
        [],
        [
          this.base,
          String(this.seconds),
          String(this.ratio),
          String(this.reserve),
          String(tries),
          String(extra),
          String(held),
          String(want),
          this.id,
          String(this.granted),
        ],
      )) as unknown[];
      this.granted += Number(reply[3]) || 0;
      this.healthy = true;
    } catch {
      // Not sent: sent with the next flush; meanwhile this process counts alone.
      this.tries += tries;
      this.extra += extra;
      // Not sure it reached Redis: keep what was given back counted as spent (it is, or it
      // will leave the window), and do not use it.
      this.healthy = false;
    } finally {
      this.flushing = false;
      this.flushed?.();
    }
    // Nothing counted for a whole window: give back the grant and stop until the next call.
    if (this.idleFlushes * this.flushMs > this.windowMs) {
      this.stop();
      if (this.granted > 0) {
        this.stopping = true;
        await this.flush();
        this.stopping = false;
      }
    }
  }

  /** Sends the last counts, gives back the unused retries, and stops. */
  async close(): Promise<void> {
    this.stop();
    this.stopping = true;
    this.idleFlushes = 0;
    if (this.tries > 0 || this.extra > 0 || this.granted > 0) await this.flush().catch(() => {});
    this.closed = true;
  }

  private start(): void {
    if (this.timer !== undefined || this.closed) return;
    this.idleFlushes = 0;
    // A tick while a flush is still on its way (Redis slow) is skipped, not queued.
    this.timer = setInterval(() => {
      if (!this.flushing) this.flush().catch(() => {});
    }, this.flushMs);
    (this.timer as { unref?: () => void }).unref?.();
    // The first answer as soon as possible: until it comes, only this process's own tries count.
    queueMicrotask(() => {
      this.flush().catch(() => {});
    });
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
