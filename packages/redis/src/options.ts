// The options of `createRedisStore()` and their check.
import {
  assertKnownKeys,
  assertNumber,
  assertOptionsObject,
  describeValue,
  redactUrl,
} from '@fetchstack/core/internal';

/**
 * A Redis client the application already has: a node-redis client (`createClient()` from
 * `redis` or `@redis/client`, version 5 or later), connected or connecting. The store sends its
 * commands with `sendCommand()`; closing the store leaves it open.
 */
export interface RedisClientLike {
  sendCommand(args: readonly (string | Buffer)[], options?: object): Promise<unknown>;
}

export interface RedisStoreOptions {
  /**
   * Where Redis listens: `redis://host:port` (`rediss://` for TLS; user, password and database
   * number as in `redis://user:pass@host:6379/2`). The store opens its own connection and
   * `close()` closes it. Give `url` or `client`.
   */
  url?: string | URL | undefined;
  /** A node-redis client the application already has (instead of `url`). */
  client?: RedisClientLike | undefined;
  /**
   * Put before every key the store writes. Sessions whose stores have the same prefix (on the
   * same Redis) share their state; another prefix is another fleet.
   * @default 'fetchstack:'
   */
  prefix?: string | undefined;
  /**
   * The most a call waits for Redis, in ms, before it goes on with this process's own state.
   * @default 250
   */
  timeout?: number | undefined;
  /**
   * How long a slot of a limit, or the lease of a bearer refresh, is held, in ms, by a process
   * that stops renewing it (one that died): the live ones renew theirs every third of it.
   * @default 30_000
   */
  lease?: number | undefined;
  /**
   * Told when Redis cannot be reached, once per outage (when it first fails after working, or
   * at the first failure).
   * @default a warning on the console
   */
  onError?: ((error: unknown) => void) | undefined;
}

const keys = ['url', 'client', 'prefix', 'timeout', 'lease', 'onError'];

/** Checks `options`; a bad value throws a `TypeError` naming it. */
export function checkRedisStoreOptions(options: RedisStoreOptions | undefined): RedisStoreOptions {
  const where = 'createRedisStore(options)';
  assertOptionsObject(options, where);
  const o = options ?? {};
  assertKnownKeys(o, keys, where);
  if ((o.url === undefined) === (o.client === undefined)) {
    throw new TypeError(
      `${where}: give "url" (such as 'redis://127.0.0.1:6379') or "client" (a node-redis client), one of them.`,
    );
  }
  if (o.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(String(o.url));
    } catch {}
    if (
      (typeof o.url !== 'string' && !(o.url instanceof URL)) ||
      !url ||
      (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    ) {
      // The value may hold a password: a URL is shown with it removed, other text not at all.
      const got = url
        ? `the URL ${redactUrl(url)}`
        : typeof o.url === 'string'
          ? 'a string that is not a URL (not shown: it may hold a password)'
          : describeValue(o.url);
      throw new TypeError(`${where}: "url" must be a redis:// or rediss:// URL; got ${got}.`);
    }
  }
  if (
    o.client !== undefined &&
    typeof (o.client as { sendCommand?: unknown } | null)?.sendCommand !== 'function'
  ) {
    throw new TypeError(
      `${where}: "client" must be a node-redis client (with sendCommand()); got ${describeValue(o.client)}.`,
    );
  }
  if (o.prefix !== undefined && typeof o.prefix !== 'string') {
    throw new TypeError(`${where}: "prefix" must be a string; got ${describeValue(o.prefix)}.`);
  }
  assertNumber(o.timeout, 'timeout', where, { min: 1, unit: 'ms' });
  assertNumber(o.lease, 'lease', where, { min: 100, unit: 'ms' });
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw new TypeError(`${where}: "onError" must be a function; got ${describeValue(o.onError)}.`);
  }
  return o;
}
