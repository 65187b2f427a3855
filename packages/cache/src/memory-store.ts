// MemoryStore: records in a Map used as an LRU list (a Map iterates in insertion order, so
// re-inserting on every read keeps the least recently used first), bounded by entries and bytes.
import { assertKnownKeys, assertNumber, assertOptionsObject } from '@fetchstack/core/internal';
import { type CacheRecord, type CacheSetOptions, type CacheStore, sizeOf } from './store.js';

export interface MemoryStoreOptions {
  /**
   * The most records (URLs) kept; the least recently used go first.
   * @default 10_000
   */
  maxEntries?: number | undefined;
  /**
   * The most bytes kept (bodies and headers, about); the least recently used go first. A
   * record larger than this is not kept at all.
   * @default 52_428_800 (50 MiB)
   * @example new MemoryStore({ maxBytes: 200e6 })
   */
  maxBytes?: number | undefined;
  /** The clock, in ms since the epoch: for tests only. @default Date.now */
  now?: (() => number) | undefined;
}

interface Slot {
  record: CacheRecord;
  size: number;
  expires: number;
}

const where = 'new MemoryStore(options)';

/**
 * A store in memory, for one process: least recently used records go first when it holds
 * more than `maxEntries` records or `maxBytes` bytes; a record past its time to live is
 * dropped when it is next read.
 *
 * @example
 * import { cache, MemoryStore } from '@fetchstack/cache';
 * const cached = wrap(fetch, cache({ store: new MemoryStore({ maxEntries: 500, maxBytes: 20e6 }) }));
 */
export class MemoryStore implements CacheStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #slots = new Map<string, Slot>();
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: MemoryStoreOptions = {}) {
    assertOptionsObject(options, where);
    assertKnownKeys(options, ['maxEntries', 'maxBytes', 'now'], where);
    const { maxEntries = 10_000, maxBytes = 50 * 1024 * 1024, now = Date.now } = options;
    assertNumber(maxEntries, 'maxEntries', where, { min: 1, integer: true });
    assertNumber(maxBytes, 'maxBytes', where, { min: 1, integer: true, unit: 'bytes' });
    if (typeof now !== 'function') throw new TypeError(`${where}: "now" must be a function.`);
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.#now = now;
  }

  /** How many records are kept now. */
  get size(): number {
    return this.#slots.size;
  }

  /** About how many bytes the kept records take now. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    this.#slots.delete(key);
    if (slot.expires <= this.#now()) {
      this.#bytes -= slot.size;
      return undefined;
    }
    this.#slots.set(key, slot);
    return slot.record;
  }

  async set(key: string, record: CacheRecord, options: CacheSetOptions): Promise<void> {
    this.#remove(key);
    const size = sizeOf(record);
    if (size > this.maxBytes || !(options.ttl > 0)) return;
    this.#slots.set(key, { record, size, expires: this.#now() + options.ttl });
    this.#bytes += size;
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#slots.delete(oldest);
      this.#bytes -= slot.size;
    }
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  /** Forgets every record. */
  async clear(): Promise<void> {
    this.#slots.clear();
    this.#bytes = 0;
  }

  async close(): Promise<void> {}

  #remove(key: string): void {
    const slot = this.#slots.get(key);
    if (!slot) return;
    this.#slots.delete(key);
    this.#bytes -= slot.size;
  }
}
