// The `Retry-After` cool-downs of a fleet, kept in Redis: a key per origin
// (`{prefix}cooldown:{origin}`, PX = the wait, value = the status), written by a Lua script
// that keeps the later deadline and publishes the news on `{prefix}cooldown`. Each process
// holds a local copy (origin -> deadline on its own clock), filled from those messages and,
// whenever its subscription (re)connects, from the keys themselves: a request reads the copy
// and never waits for Redis when nothing cools down.

import { retried } from './channel.js';

/** An origin cooling down (the shape the session's `store.cooldown` part uses). */
export interface RedisCooldownEntry {
  until: number;
  status: number;
}

/** What the cool-downs need from the store (its commands are bounded by its `timeout`). */
export interface CooldownIO {
  readonly prefix: string;
  readonly timeout: number;
  script(text: string, keys: string[], args: string[]): Promise<unknown>;
  /**
   * Calls `onMessage` for each message on `channel`, and `onReady` each time the subscription
   * is made (at first, and after each reconnection): the store's pub/sub connection.
   */
  listen(channel: string, onMessage: (message: string) => void, onReady: () => void): void;
}

/** The part of a node-redis client a subscription uses (the store's connection for it). */
export interface SubscriberLike {
  on(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  readonly isReady: boolean;
  destroy(): void;
}

/** Keeps the later deadline; publishes it when it moves. Returns the ms now in force. */
export const setCooldown = `
local ms = tonumber(ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left >= ms then return left end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
redis.call('PUBLISH', ARGV[3], ARGV[4])
return ms
`;

/** Every origin cooling down: a flat list of key, ms left, status. ARGV[1]: the MATCH pattern. */
export const loadCooldowns = `
local out = {}
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local left = redis.call('PTTL', key)
    if left > 0 then
      out[#out + 1] = key
      out[#out + 1] = left
      out[#out + 1] = redis.call('GET', key)
    end
  end
until cursor == '0'
return out
`;

const glob = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export class RedisCooldowns {
  private readonly local = new Map<string, RedisCooldownEntry>();
  private readonly channel: string;
  private readonly keyPrefix: string;
  private started = false;
  private closed = false;
  /** While the first load runs (bounded by the store's timeout), reads wait for it. */
  private loading: Promise<void> | undefined;

  constructor(private readonly io: CooldownIO) {
    this.channel = `${io.prefix}cooldown`;
    this.keyPrefix = `${io.prefix}cooldown:`;
  }

  /** The cool-down of `origin` now, from memory (a promise only during the first load). */
  get(origin: string): RedisCooldownEntry | undefined | Promise<RedisCooldownEntry | undefined> {
    if (!this.started) this.start();
    if (this.loading) return this.loading.then(() => this.lookup(origin));
    return this.lookup(origin);
  }

  /** Records `ms` of quiet for `origin` here at once, and for the fleet in Redis. */
  set(origin: string, ms: number, status: number): Promise<void> {
    if (!this.started) this.start();
    this.keep(origin, Date.now() + ms, status);
    if (this.closed) return Promise.resolve();
    const message = JSON.stringify({ origin, ms: Math.ceil(ms), status });
    return this.io
      .script(
        setCooldown,
        [this.keyPrefix + origin],
        [String(Math.ceil(ms)), String(status), this.channel, message],
      )
      .then(
        () => {},
        () => {},
      );
  }

  /** Stops recording to Redis (the store's close() calls it; it closes the connections). */
  close(): void {
    this.closed = true;
  }

  private lookup(origin: string): RedisCooldownEntry | undefined {
    const entry = this.local.get(origin);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry;
    this.local.delete(origin);
    return undefined;
  }

  private keep(origin: string, until: number, status: number): void {
    const now = Date.now();
    const entry = this.local.get(origin);
    if (entry && entry.until >= until) return;
    if (this.local.size >= 256) {
      for (const [key, value] of this.local) if (value.until <= now) this.local.delete(key);
    }
    this.local.set(origin, { until, status });
  }

  /** Listens, and loads what the fleet knows now and each time the subscription is (re)made. */
  private start(): void {
    this.started = true;
    if (this.closed) return;
    try {
      // Each (re)subscription: messages may have been missed meanwhile, so read the keys again.
      this.io.listen(
        this.channel,
        (message) => this.heard(message),
        () => {
          // Tried again a few times: the notifications may be back before the commands are.
          retried(
            () => this.load(),
            () => this.closed,
          ).catch(() => {});
        },
      );
    } catch {
      // No pub/sub: what this process records itself, and the first read, are what it knows.
    }
    // The first read, over the store's own connection: requests wait for it (at most `timeout`).
    const first = this.load().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.loading = Promise.race([
      first,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.io.timeout);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      this.loading = undefined;
    });
  }

  private heard(message: string): void {
    try {
      const { origin, ms, status } = JSON.parse(message) as {
        origin: string;
        ms: number;
        status: number;
      };
      if (typeof origin === 'string' && ms > 0) this.keep(origin, Date.now() + ms, status);
    } catch {
      // Not one of ours.
    }
  }

  private async load(): Promise<void> {
    const reply = await this.io.script(loadCooldowns, [], [`${glob(this.keyPrefix)}*`]);
    const found = Array.isArray(reply) ? reply : [];
    const now = Date.now();
    for (let i = 0; i + 2 < found.length; i += 3) {
      const key = String(found[i]);
      const left = Number(found[i + 1]);
      const status = Number(found[i + 2]) || 503;
      if (left > 0) this.keep(key.slice(this.keyPrefix.length), now + left, status);
    }
  }
}
