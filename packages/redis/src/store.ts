import { createHash, randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers';
import {
  type CacheRecord,
  type CacheSetOptions,
  type CacheStore,
  packRecord,
  unpackRecord,
} from '@fetchstack/cache';
import type { LimitCaps, LimitStore } from '@fetchstack/limit';
import { createClient, RESP_TYPES } from '@redis/client';
import { type FleetBudgetOptions, RedisRetryBudget } from './budget.js';
import { Channel, type Link } from './channel.js';
import { closeWithin } from './close.js';
import { SharedCookieStore } from './cookies.js';
import { RedisCooldowns, type SubscriberLike } from './cooldown.js';
import { checkRedisStoreOptions, type RedisClientLike, type RedisStoreOptions } from './options.js';
import { acquire, renew } from './scripts.js';
import { SharedToken } from './tokens.js';

/**
 * Shared state for a fleet of processes, kept in Redis. Give it to `limit({ store })` (or a
 * session's `limit: { ..., store }`) so that the caps hold across every process whose store has
 * the same prefix, and use `store.cache` as the store of an HTTP cache to share responses.
 *
 * When Redis cannot be reached (down, slow, restarting), no call fails because of it: each
 * waits at most `timeout` ms for Redis, then goes on with its own process's state, and
 * `onError` is told once per outage. The store uses Redis again as soon as it answers.
 *
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'billing:' });
 * const api = wrap(fetch, limit({ concurrency: 8, store }));
 * // ...
 * await store.close();
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(checkRedisStoreOptions(options));
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** What the store uses of a client it opened itself. */
interface OwnClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
}

/** Replies of binary strings as bytes (the cache's bodies). */
const asBytes = { [RESP_TYPES.BLOB_STRING]: Buffer };

export class RedisStore implements LimitStore {
  /** A store for `@fetchstack/cache` (`cache({ store: redisStore.cache })`): records as bytes, with Redis TTLs. */
  readonly cache: CacheStore;
  /** The prefix of every key this store writes. */
  readonly prefix: string;
  /**
   * The `Retry-After` cool-downs of the fleet, per origin (what `createSession({ store })`
   * uses): read from a local copy kept current by Redis pub/sub.
   */
  readonly cooldown: RedisCooldowns;
  private readonly client: RedisClientLike;
  private readonly own: OwnClient | undefined;
  private readonly timeout: number;
  private readonly lease: number;
  /** The `onError` option, when given. */
  private readonly onError: ((error: unknown) => void) | undefined;
  /** Who else is told of each outage (`watchErrors`: a session's `storeError` hooks). */
  private readonly watchers = new Set<(error: unknown) => void>();
  private connecting: Promise<unknown> | undefined;
  private healthy = true;
  /** When the first command went unanswered since the last reply (`undefined`: none did). */
  private silentSince: number | undefined;
  /** The last error the connection the store opened met (named in the outage report). */
  private lastConnectionError: unknown;
  private closed = false;
  private readonly scripts = new Map<string, string>();
  /** The leases this process holds, per concurrency key: renewed until given back. */
  private readonly held = new Map<string, Set<string>>();
  private renewer: ReturnType<typeof setInterval> | undefined;
  /** The fleet's retry budgets, one per set of options. */
  private readonly budgets = new Map<string, RedisRetryBudget>();
  /** Makes the pub/sub connection (a copy of the store's): the channel of the jar, tokens and cool-downs. */
  private readonly subscriber: (() => SubscriberLike) | undefined;
  /** The shared jar's and tokens' notifications (made on first use). */
  private channel: Channel | undefined;
  private jar: SharedCookieStore | undefined;
  private readonly bearers = new Map<string, SharedToken>();

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? 'fetchstack:';
    this.timeout = options.timeout ?? 250;
    this.lease = options.lease ?? 30_000;
    this.onError = options.onError;
    if (options.client) {
      this.client = options.client;
      const given = options.client as { duplicate?: () => SubscriberLike };
      if (typeof given.duplicate === 'function') this.subscriber = () => given.duplicate!();
    } else {
      const own = createClient({
        url: String(options.url),
        disableOfflineQueue: true,
        socket: {
          connectTimeout: Math.max(1_000, this.timeout),
          reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
        },
      });
      // Errors of the connection are reported through the calls that meet them (once per
      // outage), with the last one as the reason (a wrong password, a refused connection).
      own.on('error', (error: unknown) => {
        this.lastConnectionError = error;
      });
      this.own = own as unknown as OwnClient;
      this.subscriber = () => own.duplicate() as unknown as SubscriberLike;
      this.client = own as unknown as RedisClientLike;
      // Commands wait for the first connection (each at most `timeout`); once it is made, or
      // once a wait for it timed out, commands fail at once while Redis is unreachable.
      this.connecting = own
        .connect()
        .catch((error: unknown) => this.failed(error))
        .finally(() => {
          this.connecting = undefined;
        });
    }
    this.cooldown = new RedisCooldowns({
      prefix: this.prefix,
      timeout: this.timeout,
      script: (text, keys, args) => this.script(text, keys, args),
      listen: (name, onMessage, onReady) => this.link().listen(name, onMessage, onReady),
    });
    this.cache = {
      get: async (key: string): Promise<CacheRecord | undefined> => {
        const bytes = (await this.command(
          ['GET', this.key('cache:', key)],
          true,
        )) as Uint8Array | null;
        return bytes ? unpackRecord(new Uint8Array(bytes)) : undefined;
      },
      set: async (key: string, record: CacheRecord, { ttl }: CacheSetOptions): Promise<void> => {
        await this.command([
          'SET',
          this.key('cache:', key),
          asBuffer(packRecord(record)),
          'PX',
          String(Math.max(1, Math.ceil(ttl))),
        ]);
      },
      delete: async (key: string): Promise<void> => {
        await this.command(['DEL', this.key('cache:', key)]);
      },
    };
  }

  async acquireSlot(
    key: string,
    caps: LimitCaps,
  ): Promise<{ lease: string } | { retryIn: number }> {
    const lease = randomUUID();
    const [concurrencyKey, rateKey] = this.limitKeys(key);
    let answer: number;
    try {
      answer = Number(
        await this.script(
          acquire,
          [concurrencyKey, rateKey],
          [
            String(caps.concurrency ?? 0),
            String(caps.rate?.requests ?? 0),
            String(caps.rate?.per ?? 0),
            String(this.lease),
            lease,
          ],
        ),
      );
    } catch (error) {
      // Unanswered in time, the script may still run once Redis answers again (a pause, a
      // failover): its slot would then count against the fleet until the lease ran out, held by
      // no one. Taken back after it (the same connection keeps the order); a call that goes on
      // with this process's own counts is not counted by the fleet.
      if (caps.concurrency !== undefined && !this.closed) {
        this.client.sendCommand(['ZREM', concurrencyKey, lease]).catch(() => {});
      }
      throw error;
    }
    if (answer !== 0) return { retryIn: answer > 0 ? answer : 25 };
    if (caps.concurrency !== undefined) this.hold(concurrencyKey, lease);
    return { lease };
  }

  /**
   * The fleet's retry budget for these options (the same object for the same options): the
   * ratio of retries to first tries holds across every process whose store has this prefix.
   * Give it to `retry({ budget })`; `createSession({ store })` uses it for the session's.
   */
  retryBudget(options: FleetBudgetOptions): RedisRetryBudget {
    const name = `${options.ratio}:${options.windowMs}:${options.minPerSecond}`;
    let budget = this.budgets.get(name);
    if (!budget) {
      budget = new RedisRetryBudget(
        { prefix: this.prefix, script: (text, keys, args) => this.script(text, keys, args) },
        options,
      );
      this.budgets.set(name, budget);
    }
    return budget;
  }

  async releaseSlot(key: string, lease: string): Promise<void> {
    const [concurrencyKey] = this.limitKeys(key);
    const leases = this.held.get(concurrencyKey);
    if (!leases?.delete(lease)) return;
    if (leases.size === 0) this.held.delete(concurrencyKey);
    await this.command(['ZREM', concurrencyKey, lease]);
  }

  /**
   * The fleet's cookie jar: a tough-cookie store (`new CookieJar(store.cookies)`; a session
   * given this store as its `store` uses it). Lookups read this process's copy; each change
   * is written to Redis and reaches the other processes by pub/sub. Made on first use.
   */
  get cookies(): SharedCookieStore {
    this.jar ??= new SharedCookieStore(this.link());
    return this.jar;
  }

  /**
   * The fleet's bearer token called `name`: one refresh at a time for every process
   * (`bearerAuth(token, { refresh, shared: store.tokens('billing') })`; a session given this
   * store shares its own `auth` bearer as `'bearer'`).
   */
  tokens(name = 'bearer'): SharedToken {
    let token = this.bearers.get(name);
    if (!token) {
      token = new SharedToken(this.link(), name);
      this.bearers.set(name, token);
    }
    return token;
  }

  /**
   * Stops renewing leases and closes the connection the store opened (a `client` given to it
   * stays open), once the cookie changes on their way to Redis are there. Calls made after it
   * go on with local state.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.jar?.flush();
    if (this.closed) return;
    // The last counts of the retry budgets reach Redis before the connection closes.
    await Promise.all([...this.budgets.values()].map((budget) => budget.close()));
    this.closed = true;
    await this.channel?.close(this.timeout);
    if (this.renewer !== undefined) clearInterval(this.renewer);
    this.held.clear();
    this.cooldown.close();
    const own = this.own;
    if (!own?.isOpen) return;
    // Connected: a graceful close (replies in flight arrive), for at most `timeout` (a Redis
    // that stopped answering would hold it forever). Still connecting or reconnecting: stop
    // trying at once.
    if (own.isReady) await closeWithin(own, this.timeout);
    else {
      own.destroy();
      // node-redis: a destroy() while the socket is still being opened does not stop it; the
      // connection completes afterwards and would keep the process from exiting. End it then.
      void this.connecting?.then(() => {
        if (own.isReady) own.destroy();
      });
    }
  }

  /** What the shared jar and tokens use of the store. */
  private link(): Link {
    this.channel ??= new Channel(() => (this.closed ? undefined : this.subscriber?.()));
    const channel = this.channel;
    return {
      prefix: this.prefix,
      timeout: this.timeout,
      lease: this.lease,
      command: (args) => this.command(args),
      script: (text, keys, args) => this.script(text, keys, args),
      listen: (name, onMessage, onReady) => channel.listen(name, onMessage, onReady),
      closed: () => this.closed,
    };
  }

  private key(kind: string, key: string): string {
    return `${this.prefix}${kind}${key}`;
  }

  /** The keys of one origin's limit (one hash slot, for a Redis Cluster). */
  private limitKeys(key: string): [string, string] {
    return [this.key('limit:{', `${key}}:concurrency`), this.key('limit:{', `${key}}:rate`)];
  }

  private hold(concurrencyKey: string, lease: string): void {
    let leases = this.held.get(concurrencyKey);
    if (!leases) {
      leases = new Set();
      this.held.set(concurrencyKey, leases);
    }
    leases.add(lease);
    if (this.renewer === undefined) {
      this.renewer = setInterval(() => this.renewAll(), Math.max(50, this.lease / 3));
      (this.renewer as { unref?: () => void }).unref?.();
    }
  }

  private renewAll(): void {
    if (this.held.size === 0) {
      clearInterval(this.renewer);
      this.renewer = undefined;
      return;
    }
    for (const [concurrencyKey, leases] of this.held) {
      this.script(renew, [concurrencyKey], [String(this.lease), ...leases]).catch(() => {});
    }
  }

  /** Runs a Lua script by its digest, sending its text when Redis does not know it yet. */
  private async script(text: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.scripts.get(text);
    if (!sha) {
      sha = createHash('sha1').update(text).digest('hex');
      this.scripts.set(text, sha);
    }
    const count = String(keys.length);
    try {
      return await this.command(['EVALSHA', sha, count, ...keys, ...args]);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.command(['EVAL', text, count, ...keys, ...args]);
    }
  }

  /** One command, bounded by `timeout`; a failure is reported once per outage and rethrown. */
  private async command(args: (string | Buffer)[], bytes = false): Promise<unknown> {
    if (this.closed) throw new Error('the Redis store is closed');
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const reply = await Promise.race([
        (async () => {
          if (this.connecting) await this.connecting;
          return this.client.sendCommand(args, {
            // The client drops a command still unsent after this (ours gives up sooner).
            timeout: Math.max(10 * this.timeout, 5_000),
            ...(bytes ? { typeMapping: asBytes } : {}),
          });
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // After the I/O of this turn of the event loop: a reply that arrived while the
            // process was busy (a burst of calls made at once) is read first, not called late.
            setImmediate(() => {
              this.connecting = undefined;
              reject(new Error(`Redis did not answer within ${this.timeout} ms`));
            });
          }, this.timeout);
        }),
      ]);
      this.healthy = true;
      this.silentSince = undefined;
      return reply;
    } catch (error) {
      if (!/^(NOSCRIPT|WRONGTYPE)/.test(String((error as Error)?.message))) {
        this.watch();
        this.failed(error);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A connection that seems up while nothing comes back on it for a while (Redis's host gone
   * without a word, a network partition) is made again: the kernel would only give it up after
   * many minutes. Commands that failed at once (Redis refusing, the client reconnecting) count
   * too: a connection being made again answers soon.
   */
  private watch(): void {
    const own = this.own;
    if (!own || this.closed || this.connecting || !own.isReady) return;
    const now = Date.now();
    this.silentSince ??= now;
    if (now - this.silentSince < Math.max(2_000, 8 * this.timeout)) return;
    this.silentSince = undefined;
    own.destroy();
    this.channel?.restart();
    this.connecting = own
      .connect()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.connecting = undefined;
      });
  }

  private failed(error: unknown): void {
    if (!this.healthy || this.closed) return;
    this.healthy = false;
    // A timeout says less than what the connection met meanwhile (WRONGPASS, ECONNREFUSED).
    const cause = this.lastConnectionError;
    const message = error instanceof Error ? error.message : String(error);
    // Always about Redis: a bare socket error (`read ECONNRESET`, a command in flight when the
    // connection dropped) says nothing of where it came from.
    const said = message.startsWith('Redis ') ? message : `Redis did not answer: ${message}`;
    const reported =
      cause instanceof Error && /did not answer|client is offline/i.test(message)
        ? new Error(`${said}: ${cause.message}`, { cause })
        : said === message && error instanceof Error
          ? error
          : new Error(said, { cause: error });
    try {
      this.onError?.(reported);
    } catch {}
    // Said so that a log line names the store (the report may be a bare "read ECONNRESET").
    // "Redis cannot be reached (did not answer within 500 ms: ...)", Redis named once.
    const detail = (reported instanceof Error ? reported.message : String(reported)).replace(
      /^Redis /,
      '',
    );
    const outage = new Error(`@fetchstack/redis: Redis cannot be reached (${detail})`, {
      cause: reported,
    });
    for (const tell of this.watchers) {
      try {
        tell(outage);
      } catch {}
    }
    // Nobody told: a warning on the console, so that an outage is never silent.
    if (!this.onError && this.watchers.size === 0) {
      console.warn(
        `${outage.message}; calls go on with this process's own state until it answers again.`,
      );
    }
  }

  /**
   * Tells `listener` of each outage too (an `Error` naming Redis, whose `cause` is what
   * `onError` is told), until the function it returns is called. A session given this store passes the outages to its `storeError` hooks
   * this way (`logger()` writes one line); while anyone listens, the console warning that
   * stands in for `onError` is left out.
   */
  watchErrors(listener: (error: unknown) => void): () => void {
    this.watchers.add(listener);
    return () => {
      this.watchers.delete(listener);
    };
  }
}
