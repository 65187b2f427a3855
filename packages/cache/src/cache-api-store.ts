// CacheApiStore: records kept in the Cache API (browsers, Cloudflare Workers, Deno), one
// synthetic response per key whose body is the packed record.
import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  Response,
} from '@fetchstack/core/internal';
import {
  type CacheRecord,
  type CacheSetOptions,
  type CacheStore,
  packRecord,
  unpackRecord,
} from './store.js';

export interface CacheApiStoreOptions {
  /**
   * The name of the cache to open with `caches.open()`.
   * @default 'fetchstack'
   */
  name?: string | undefined;
  /** A `Cache` to use instead of opening one by name (in Workers, `caches.default`). */
  cache?: Cache | undefined;
}

const where = 'new CacheApiStore(options)';
const expiresHeader = 'x-fetchstack-expires';

/**
 * A store over the Cache API, where a runtime has one: browsers (it persists across page
 * loads and is per origin), Cloudflare Workers (per data center; entries also expire by
 * their `Cache-Control`) and Deno. Keys are the URLs of the requests.
 *
 * @example
 * import { cache, CacheApiStore } from '@fetchstack/cache';
 * const cached = wrap(fetch, cache({ store: new CacheApiStore({ name: 'api' }) }));
 */
export class CacheApiStore implements CacheStore {
  readonly name: string;
  #cache: Promise<Cache> | undefined;

  constructor(options: CacheApiStoreOptions = {}) {
    assertOptionsObject(options, where);
    assertKnownKeys(options, ['name', 'cache'], where);
    const { name = 'fetchstack', cache } = options;
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `${where}: "name" must be a non-empty string; got ${describeValue(name)}.`,
      );
    }
    if (
      cache !== undefined &&
      (typeof cache !== 'object' || cache === null || typeof cache.match !== 'function')
    ) {
      throw new TypeError(
        `${where}: "cache" must be a Cache (such as caches.default); got ${describeValue(cache)}.`,
      );
    }
    const storage = (globalThis as { caches?: CacheStorage }).caches;
    if (
      !cache &&
      (typeof storage !== 'object' || storage === null || typeof storage.open !== 'function')
    ) {
      throw new TypeError(
        `${where}: this runtime has no Cache API (caches.open); use MemoryStore, or a persistent store for servers.`,
      );
    }
    this.name = name;
    if (cache) this.#cache = Promise.resolve(cache);
  }

  #open(): Promise<Cache> {
    this.#cache ??= (globalThis as unknown as { caches: CacheStorage }).caches.open(this.name);
    return this.#cache;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const cache = await this.#open();
    const response = await cache.match(key);
    if (!response) return undefined;
    if (Number(response.headers.get(expiresHeader)) <= Date.now()) {
      await response.body?.cancel();
      await cache.delete(key);
      return undefined;
    }
    return unpackRecord(new Uint8Array(await response.arrayBuffer()));
  }

  async set(key: string, record: CacheRecord, options: CacheSetOptions): Promise<void> {
    const cache = await this.#open();
    const seconds = Math.max(1, Math.ceil(options.ttl / 1000));
    const body = packRecord(record) as Uint8Array<ArrayBuffer>;
    await cache.put(
      key,
      new Response(body, {
        headers: {
          'content-type': 'application/octet-stream',
          // Workers drop an entry by its Cache-Control; browsers and Deno keep it until deleted.
          'cache-control': `public, max-age=${seconds}`,
          [expiresHeader]: String(Date.now() + options.ttl),
        },
      }),
    );
  }

  async delete(key: string): Promise<void> {
    const cache = await this.#open();
    await cache.delete(key);
  }

  async close(): Promise<void> {}
}
