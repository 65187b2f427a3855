// The fleet's bearer token: one refresh at a time for every process, under a lease with a
// deadline, and the token it gave published to all. What `bearerAuth(token, { refresh, shared })`
// (and a session given the Redis store) calls.
//
// In Redis, per name: a hash `{prefix}auth:{name}` (token = the fleet's current token, seq =
// how many refreshes have ended, error = how the last one failed) and a lease
// `{prefix}auth:{name}:lease` (SET NX PX, renewed while its refresh runs). Each end of a
// refresh is published on `{prefix}auth:{name}`.

import { randomUUID } from 'node:crypto';
import type { Link } from './channel.js';

/**
 * Starts a refresh for a request answered 401 with token ARGV[1]. KEYS: the hash, the lease.
 * ARGV: the token that got the 401, a lease id, the lease's length (ms). Returns
 * {'token', t} when the fleet's token is already another one, {'lease', seq} when this
 * process is to refresh, {'wait', seq} when another one is refreshing.
 */
const begin = `
local h = redis.call('HMGET', KEYS[1], 'token', 'seq')
if h[1] and h[1] ~= '' and h[1] ~= ARGV[1] then return {'token', h[1]} end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {'lease', h[2] or '0'} end
return {'wait', h[2] or '0'}
`;

/**
 * While waiting: {'token', t} once the fleet has another token than ARGV[1], {'failed', error}
 * once a refresh ended (seq moved past ARGV[2]) in failure, {'free'} when nobody holds the
 * lease (its holder finished or died), else {'held'}.
 */
const check = `
local h = redis.call('HMGET', KEYS[1], 'token', 'seq', 'error')
if h[1] and h[1] ~= '' and h[1] ~= ARGV[1] then return {'token', h[1]} end
if (tonumber(h[2]) or 0) ~= tonumber(ARGV[2]) and h[3] and h[3] ~= '' then return {'failed', h[3]} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {'free'} end
return {'held'}
`;

/** Moves the deadline of the lease ARGV[1] (if still held) to ARGV[2] ms from now. */
const renew = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * Ends a refresh: ARGV[1] = the new token ('' when it failed), ARGV[2] = the failure (JSON),
 * ARGV[3] = the lease id (given back if still held), ARGV[4] = the channel. A failure is not
 * recorded while another process holds the lease (a refresh made here without it, when Redis
 * answered late): the others wait for that process's outcome.
 */
const finish = `
local holder = redis.call('GET', KEYS[2])
if ARGV[1] == '' and holder and holder ~= ARGV[3] then return 0 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
if ARGV[1] ~= '' then
  redis.call('HSET', KEYS[1], 'token', ARGV[1], 'error', '')
else
  redis.call('HSET', KEYS[1], 'error', ARGV[2])
end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[4], ARGV[1])
return seq
`;

/** The most a waiting process goes without asking Redis (a dead refresher sends nothing). */
const pollEvery = 200;

/**
 * A bearer token shared by every process whose Redis store has the same prefix (one per
 * `name`): `bearerAuth(token, { refresh, shared: redisStore.tokens('name') })`.
 *
 * - `current()`: the fleet's token, kept in this process and updated when another process
 *   publishes one (no Redis round trip per request); at first use, read from Redis.
 * - `refresh(stale, run)`: for a request answered 401 with `stale`. When the fleet's token is
 *   already another one, that one, without refreshing. Else one process takes the lease and
 *   runs its refresh; the others wait for its token (or its error). A refresher that dies
 *   holds the lease no longer than `lease` ms. When Redis cannot be reached, `run` is called
 *   here alone.
 */
export class SharedToken {
  private readonly link: Link;
  private readonly key: string;
  private readonly leaseKey: string;
  private readonly channel: string;
  private token: string | undefined;
  private loading: Promise<string | undefined> | undefined;
  private readonly wakers = new Set<() => void>();
  private started = false;

  constructor(link: Link, name: string) {
    this.link = link;
    // One hash slot for both keys (a Redis Cluster runs the scripts).
    this.key = `${link.prefix}auth:{${name}}`;
    this.leaseKey = `${this.key}:lease`;
    this.channel = this.key;
  }

  /** Reads the fleet's token and subscribes to its changes, at first use. */
  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.loading = this.read();
    this.link.listen(
      this.channel,
      (token) => {
        if (token) this.token = token;
        this.wake();
      },
      // Messages sent while the notifications were down are lost: read the token again.
      () => {
        void this.read();
        this.wake();
      },
    );
  }

  /** The fleet's current token, or `undefined` when none is published (a promise at first use). */
  current(): string | undefined | Promise<string | undefined> {
    this.begin();
    return this.loading ?? this.token;
  }

  /**
   * The token to use after a request sent with `stale` was answered 401: the fleet's newer
   * one, or the result of one refresh for the whole fleet (`run` here, or in another process).
   */
  async refresh(stale: string, run: () => string | Promise<string>): Promise<string> {
    this.begin();
    const keys = [this.key, this.leaseKey];
    for (;;) {
      const lease = randomUUID();
      let state: string[];
      try {
        state = (await this.link.script(begin, keys, [
          stale,
          lease,
          String(this.link.lease),
        ])) as string[];
      } catch {
        // Redis cannot be reached (reported once per outage), or answered too late: refresh
        // here. The script may have taken the lease all the same: the end of the refresh is
        // published as the lease holder's would be, if Redis answers by then.
        return this.lead(lease, run);
      }
      if (state[0] === 'token') return this.keep(state[1] as string);
      if (state[0] === 'lease') return this.lead(lease, run);
      const seq = state[1] as string;
      let answer: string[];
      do {
        await this.pause();
        try {
          answer = (await this.link.script(check, keys, [stale, seq])) as string[];
        } catch {
          // Redis cannot be reached while waiting: refresh here alone.
          return this.keep(await run());
        }
      } while (answer[0] === 'held');
      if (answer[0] === 'token') return this.keep(answer[1] as string);
      if (answer[0] === 'failed') throw revive(answer[1] as string);
      // 'free': the lease ended without a token (its holder died): try to take it.
    }
  }

  /** Runs the refresh under the lease (renewed while it runs), then publishes how it ended. */
  private async lead(lease: string, run: () => string | Promise<string>): Promise<string> {
    const renewer = setInterval(
      () =>
        this.link.script(renew, [this.leaseKey], [lease, String(this.link.lease)]).catch(() => {}),
      Math.max(50, this.link.lease / 3),
    );
    (renewer as { unref?: () => void }).unref?.();
    let token: string;
    try {
      token = await run();
    } catch (error) {
      clearInterval(renewer);
      await this.end('', JSON.stringify(describe(error)), lease);
      throw error;
    }
    clearInterval(renewer);
    this.keep(token);
    await this.end(token, '', lease);
    return token;
  }

  private async end(token: string, error: string, lease: string): Promise<void> {
    try {
      await this.link.script(
        finish,
        [this.key, this.leaseKey],
        [token, error, lease, this.channel],
      );
    } catch {
      // Redis cannot be reached (reported once per outage): the others see the lease expire.
    }
  }

  private keep(token: string): string {
    this.token = token;
    this.loading = undefined;
    return token;
  }

  private async read(): Promise<string | undefined> {
    try {
      const token = await this.link.command(['HGET', this.key, 'token']);
      if (typeof token === 'string' && token !== '') this.token = token;
    } catch {
      // Redis cannot be reached (reported once per outage): no fleet token for now.
    } finally {
      this.loading = undefined;
    }
    return this.token;
  }

  /** Waits for a message about the token, or `pollEvery` ms. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, pollEvery);
      this.wakers.add(wake);
    });
  }

  private wake(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

/** What other processes learn of a failed refresh. */
function describe(error: unknown): { name: string; message: string; code?: unknown } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * The error of a refresh that failed in another process: an `Error` with its name, message and
 * code (the original object stays in that process).
 */
function revive(json: string): Error {
  let described: { name?: unknown; message?: unknown; code?: unknown } = {};
  try {
    described = JSON.parse(json) as typeof described;
  } catch {}
  const error = new Error(String(described.message ?? 'the refresh failed in another process'));
  if (typeof described.name === 'string') error.name = described.name;
  if (described.code !== undefined) Object.assign(error, { code: described.code });
  return error;
}
