// The fleet's cookie jar: a tough-cookie store whose cookies live in this process's memory
// (every lookup is local: no request waits for Redis) and in Redis, one key per cookie. Each
// change is written to Redis and published on the jar's channel in one script; the other
// processes apply what they hear to their own copy. A process reads the whole jar from Redis
// once, when it starts, and again after its notifications reconnect (messages sent while they
// were down are lost).

import { randomUUID } from 'node:crypto';
import {
  type Callback,
  Cookie,
  type ErrorCallback,
  MemoryCookieStore,
  type Nullable,
} from 'tough-cookie';
import { type Link, retried } from './channel.js';

/**
 * Writes or deletes one cookie and says so on the channel, atomically (so the messages come in
 * the order Redis applied the writes). KEYS: the cookie's key. ARGV: the cookie as JSON ('' to
 * delete), its remaining life in ms (0: none), the channel, the message.
 */
const write = `
if ARGV[1] == '' then
  redis.call('DEL', KEYS[1])
elseif tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 0
`;

/** A message on the jar's channel: [writer, its write number, `domain;path;name` or '*' for all, cookie JSON or null]. */
type Message = [string, number, string, string | null];

const idOf = (domain: string, path: string, key: string) => `${domain};${path};${key}`;
/** SCAN's MATCH reads `*?[]\` as a pattern: the prefix is written out as it is. */
const literal = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A tough-cookie store shared by every process whose Redis store has the same prefix:
 * `new CookieJar(redisStore.cookies)`, or a session given the Redis store as its `store`.
 *
 * Lookups read this process's copy (no Redis round trip per request); a change made here is
 * visible here at once, and in Redis and the other processes once its write and notification
 * arrive. Each cookie is a Redis key `{prefix}cookies:{domain};{path};{name}` that expires by
 * itself when the cookie does. Before the first read from Redis (at most a few `timeout`s),
 * lookups wait for it; when Redis cannot be reached, the jar works in this process alone.
 */
export class SharedCookieStore extends MemoryCookieStore {
  private readonly link: Link;
  private readonly base: string;
  private readonly channel: string;
  /** Who this copy is, in its messages (its own come back to it). */
  private readonly self = randomUUID();
  private seq = 0;
  /**
   * Cookies written here whose notification has not come back yet: messages of others about
   * them are older than the write (Redis orders both), so they are not applied.
   */
  private readonly pending = new Map<string, { seq: number; done: boolean }>();
  /** Writes and deletions on their way to Redis (`flush()` waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Cookies written or notified here while a read of the whole jar runs: it leaves them alone. */
  private touched: Set<string> | undefined;
  private loaded = false;
  /** The first read of the jar (and the reads after reconnections, chained), once begun. */
  private loading: Promise<void> | undefined;
  /**
   * The id of the jar's data in Redis at the last read: a new one means Redis lost what it held
   * (restarted empty), not that the fleet deleted cookies.
   */
  private epoch: string | undefined;

  constructor(link: Link) {
    super();
    this.link = link;
    this.base = `${link.prefix}cookies:`;
    this.channel = `${link.prefix}cookies`;
    // tough-cookie asks a store whether it answers synchronously before each use: this one
    // does once the jar has been read from Redis; until then lookups wait for that read.
    Object.defineProperty(this, 'synchronous', { get: () => this.loaded, configurable: true });
  }

  /** Reads the jar from Redis and subscribes to its changes, at first use. */
  private begin(): Promise<void> {
    if (this.loading) return this.loading;
    const link = this.link;
    // Changes made here from now on win over what the first read finds.
    const touched = new Set<string>();
    this.touched = touched;
    let started = false;
    let go!: () => void;
    const ready = new Promise<void>((resolve) => {
      go = resolve;
    });
    // The first read waits for the notifications (so that nothing is missed between the read
    // and them), or `timeout` ms when they do not come (Redis down, or no pub/sub).
    const timer = setTimeout(go, link.timeout);
    (timer as { unref?: () => void }).unref?.();
    this.loading = ready
      .then(() => {
        clearTimeout(timer);
        started = true;
        // Redis cannot be reached (reported once per outage): this copy works alone until it is.
        return this.load(touched).catch(() => {});
      })
      .finally(() => {
        this.loaded = true;
      });
    link.listen(
      this.channel,
      (message) => this.heard(message),
      () => {
        if (!started) return go();
        // Subscribed again after a reconnection: read the jar again. The notifications of
        // writes already made are lost: what Redis holds now is at least as new.
        for (const [id, entry] of this.pending) if (entry.done) this.pending.delete(id);
        // Tried again a few times: the notifications may be back before the commands are.
        this.loading = this.begin()
          .then(() => retried(() => this.load(new Set()), link.closed))
          .catch(() => {});
      },
    );
    return this.loading;
  }

  /** Resolves once every change made here so far has reached Redis (or failed to). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<Cookie | undefined>;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: Callback<Cookie | undefined>,
  ): void;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback?: Callback<Cookie | undefined>,
  ): unknown {
    return this.afterLoad((cb) => super.findCookie(domain, path, key, cb), callback);
  }

  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean,
  ): Promise<Cookie[]>;
  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean,
    callback?: Callback<Cookie[]>,
  ): void;
  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean | Callback<Cookie[]>,
    callback?: Callback<Cookie[]>,
  ): unknown {
    // tough-cookie's own signature allows the callback in the third place.
    if (typeof allowSpecialUseDomain === 'function') {
      callback = allowSpecialUseDomain;
      allowSpecialUseDomain = true;
    }
    const allow = allowSpecialUseDomain ?? false;
    return this.afterLoad((cb) => super.findCookies(domain, path, allow, cb), callback);
  }

  override getAllCookies(): Promise<Cookie[]>;
  override getAllCookies(callback: Callback<Cookie[]>): void;
  override getAllCookies(callback?: Callback<Cookie[]>): unknown {
    return this.afterLoad((cb) => super.getAllCookies(cb), callback);
  }

  override putCookie(cookie: Cookie): Promise<void>;
  override putCookie(cookie: Cookie, callback: ErrorCallback): void;
  override putCookie(cookie: Cookie, callback?: ErrorCallback): unknown {
    void this.begin();
    const { domain, path, key } = cookie;
    if (domain != null && path != null && key != null) {
      const kept = absolute(cookie);
      const id = idOf(domain, path, key);
      if (isExpired(kept)) {
        // An expired cookie (Max-Age=0, an Expires in the past) deletes the one it replaces.
        void super.removeCookie(domain, path, key);
        this.send(id, null);
      } else {
        void super.putCookie(kept);
        this.send(id, kept);
      }
    }
    return done(callback);
  }

  override removeCookie(domain: string, path: string, key: string): Promise<void>;
  override removeCookie(domain: string, path: string, key: string, callback: ErrorCallback): void;
  override removeCookie(
    domain: string,
    path: string,
    key: string,
    callback?: ErrorCallback,
  ): unknown {
    void this.begin();
    const old = this.idx[domain]?.[path]?.[key];
    void super.removeCookie(domain, path, key);
    // tough-cookie removes a cookie it finds expired as it reads: its Redis key has expired by
    // itself, and every process drops its own copy the same way.
    if (old && !isExpired(old)) this.send(idOf(domain, path, key), null);
    return done(callback);
  }

  override removeCookies(domain: string, path: string): Promise<void>;
  override removeCookies(domain: string, path: string, callback: ErrorCallback): void;
  override removeCookies(domain: string, path: string, callback?: ErrorCallback): unknown {
    void this.begin();
    const paths = this.idx[domain] ?? {};
    for (const p of path ? [path] : Object.keys(paths)) {
      for (const key of Object.keys(paths[p] ?? {})) this.send(idOf(domain, p, key), null);
    }
    void super.removeCookies(domain, path);
    return done(callback);
  }

  override removeAllCookies(): Promise<void>;
  override removeAllCookies(callback: ErrorCallback): void;
  override removeAllCookies(callback?: ErrorCallback): unknown {
    void this.begin();
    void super.removeAllCookies();
    this.touched?.add('*');
    this.track(this.clearRedis());
    return done(callback);
  }

  /**
   * Runs a lookup now (answering by callback at once, as tough-cookie's synchronous API needs),
   * or after the first read of the jar.
   */
  private afterLoad<T>(
    lookup: (callback: Callback<T>) => void,
    callback: Callback<T> | undefined,
  ): Promise<T> | undefined {
    if (callback && this.loaded) {
      lookup(callback);
      return undefined;
    }
    const answer = (this.loaded ? Promise.resolve() : this.begin()).then(
      () =>
        new Promise<T>((resolve, reject) =>
          lookup(((error: Error | null, value: T) =>
            error ? reject(error) : resolve(value)) as Callback<T>),
        ),
    );
    if (!callback) return answer;
    answer.then(
      (value) => callback(null, value),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  /** Writes a cookie (or its deletion, `null`) to Redis and tells the others. */
  private send(id: string, cookie: Cookie | null): void {
    const seq = ++this.seq;
    const entry = { seq, done: false };
    this.pending.set(id, entry);
    this.touched?.add(id);
    const json = cookie ? JSON.stringify(cookie.toJSON()) : '';
    const life = cookie ? cookie.expiryTime() : undefined;
    const ttl =
      life === undefined || life === Number.POSITIVE_INFINITY
        ? 0
        : Math.max(1, Math.ceil(life - Date.now()));
    const message: Message = [this.self, seq, id, cookie ? json : null];
    const written = this.link
      .script(write, [this.base + id], [json, String(ttl), this.channel, JSON.stringify(message)])
      .then(
        () => {
          entry.done = true;
        },
        // Not in Redis (reported once per outage): no notification will come back for it.
        () => {
          if (this.pending.get(id) === entry) this.pending.delete(id);
        },
      );
    this.track(written);
  }

  private track(work: Promise<unknown>): void {
    const settled = work.catch(() => {});
    this.inFlight.add(settled);
    settled.finally(() => this.inFlight.delete(settled));
  }

  /** Deletes every cookie key of the jar, then tells the others. */
  private async clearRedis(): Promise<void> {
    this.pending.clear();
    try {
      for (const keys of await this.scan()) {
        if (keys.length > 0) await this.link.command(['DEL', ...keys]);
      }
      const message: Message = [this.self, ++this.seq, '*', null];
      await this.link.command(['PUBLISH', this.channel, JSON.stringify(message)]);
    } catch {
      // Redis cannot be reached (reported once per outage): the jar is cleared here alone.
    }
  }

  /** The jar's keys in Redis, in batches. */
  private async scan(): Promise<string[][]> {
    const batches: string[][] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await this.link.command([
        'SCAN',
        cursor,
        'MATCH',
        `${literal(this.base)}*`,
        'COUNT',
        '500',
      ])) as [string, string[]];
      batches.push(keys);
      cursor = String(next);
    } while (cursor !== '0');
    return batches;
  }

  /**
   * Reads the whole jar from Redis into this copy: what Redis holds wins, and a cookie Redis no
   * longer holds (deleted or expired while the notifications were down) goes here too, unless
   * it was changed here meanwhile or Redis lost its data (restarted empty). Rejects when Redis
   * cannot be read.
   */
  private async load(touched: Set<string>): Promise<void> {
    this.touched = touched;
    try {
      const epoch = await this.readEpoch();
      const keys = (await this.scan()).flat();
      // Sent together, the GETs share the connection's round trips.
      const values = await Promise.all(
        keys.map((key) => this.link.command(['GET', key]).catch(() => undefined)),
      );
      if (touched.has('*')) return;
      const held = new Set<string>();
      keys.forEach((key, i) => {
        const id = key.slice(this.base.length);
        const value = values[i];
        // (A GET that failed: kept as it is here.)
        if (value !== null) held.add(id);
        if (typeof value !== 'string' || touched.has(id) || this.pending.has(id)) return;
        this.apply(id, value);
      });
      const same = this.epoch === undefined || this.epoch === epoch;
      this.epoch = epoch;
      if (!same) return;
      for (const cookie of this.allLocal()) {
        const id = idOf(cookie.domain ?? '', cookie.path ?? '', cookie.key);
        if (held.has(id) || touched.has(id) || this.pending.has(id)) continue;
        void super.removeCookie(cookie.domain ?? '', cookie.path ?? '', cookie.key);
      }
    } finally {
      if (this.touched === touched) this.touched = undefined;
    }
  }

  /** The id of the jar's data in Redis (made by the first copy to ask). */
  private async readEpoch(): Promise<string> {
    const key = `${this.base.slice(0, -1)}-epoch`;
    await this.link.command(['SET', key, randomUUID(), 'NX']);
    return String(await this.link.command(['GET', key]));
  }

  /** A message on the jar's channel. */
  private heard(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    const [from, seq, id, json] = message;
    if (from === this.self) {
      // Our own write, back in Redis's order: later messages about it are newer than it.
      const entry = this.pending.get(id);
      if (entry?.seq === seq) this.pending.delete(id);
      return;
    }
    this.touched?.add(id);
    if (id === '*') {
      // Another process cleared the jar: keep only what was written here since.
      for (const cookie of this.allLocal()) {
        const own = idOf(cookie.domain ?? '', cookie.path ?? '', cookie.key);
        if (!this.pending.has(own))
          void super.removeCookie(cookie.domain ?? '', cookie.path ?? '', cookie.key);
      }
      return;
    }
    if (this.pending.has(id)) return;
    this.apply(id, json);
  }

  /** Puts a cookie from Redis into this copy, or removes it (`null`, or expired). */
  private apply(id: string, json: string | null): void {
    const cookie = json ? Cookie.fromJSON(json) : undefined;
    if (cookie && !isExpired(cookie)) {
      void super.putCookie(cookie);
      return;
    }
    const [domain = '', path = '', key = ''] = splitId(id);
    void super.removeCookie(domain, path, key);
  }

  private allLocal(): Cookie[] {
    const all: Cookie[] = [];
    for (const paths of Object.values(this.idx)) {
      for (const keys of Object.values(paths ?? {})) {
        for (const cookie of Object.values(keys ?? {})) if (cookie) all.push(cookie);
      }
    }
    return all;
  }
}

/** `domain;path;name`: the name (a token) and the domain hold no `;`; the path is in the middle. */
function splitId(id: string): [string, string, string] {
  const first = id.indexOf(';');
  const last = id.lastIndexOf(';');
  return [id.slice(0, first), id.slice(first + 1, last), id.slice(last + 1)];
}

/**
 * A copy whose Max-Age is turned into the time it ends: RFC 6265 counts Max-Age from when the
 * cookie was received, and every process (and the Redis TTL) must agree on that time.
 */
function absolute(cookie: Cookie): Cookie {
  const copy = cookie.clone() ?? cookie;
  if (cookie.maxAge != null) {
    const end = cookie.expiryTime();
    copy.maxAge = null;
    copy.expires =
      end === undefined || end === Number.POSITIVE_INFINITY
        ? 'Infinity'
        : new Date(Math.max(0, end));
  }
  copy.creation = cookie.creation;
  copy.creationIndex = cookie.creationIndex;
  copy.lastAccessed = cookie.lastAccessed;
  return copy;
}

function isExpired(cookie: Cookie): boolean {
  const end = cookie.expiryTime();
  return end !== undefined && end <= Date.now();
}

function done(callback: ErrorCallback | undefined): Promise<void> | undefined {
  if (!callback) return Promise.resolve();
  callback(null);
  return undefined;
}
