// The SQLite store's logic, over the small part of a driver that node:sqlite (Node >= 22.5,
// Deno) and bun:sqlite (Bun) share: `exec`, and `prepare(sql)` with `get`/`run`. Each runtime's
// entry (sqlite-node.ts, sqlite-bun.ts) only says how to open a database.
import { assertKnownKeys, assertOptionsObject, describeValue } from '@fetchstack/core/internal';
import {
  type CacheRecord,
  type CacheSetOptions,
  type CacheStore,
  packRecord,
  unpackRecord,
} from './store.js';

export interface SqliteStoreOptions {
  /**
   * The database file (created when missing). `':memory:'` keeps it in memory.
   * @example new SqliteStore({ path: './cache.sqlite' })
   */
  path: string;
  /**
   * The table the records are kept in (created when missing).
   * @default 'fetchstack_cache'
   */
  table?: string | undefined;
}

/** What the store needs of a SQLite driver. */
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): unknown;
  };
  close(): unknown;
}

const where = 'new SqliteStore(options)';
/** Expired rows are swept every this many writes. */
const sweepEvery = 200;

export function checkSqliteOptions(options: unknown): { path: string; table: string } {
  if (options === undefined) {
    throw new TypeError(
      `${where}: options { path } are required (the database file, or ':memory:').`,
    );
  }
  assertOptionsObject(options, where);
  assertKnownKeys(options as object, ['path', 'table'], where);
  const { path, table = 'fetchstack_cache' } = options as SqliteStoreOptions;
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `${where}: "path" must be a file path or ':memory:'; got ${describeValue(path)}.`,
    );
  }
  if (typeof table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
    throw new TypeError(
      `${where}: "table" must be a plain SQL name (letters, digits, _); got ${describeValue(table)}.`,
    );
  }
  return { path, table };
}

/** A store in a SQLite database: one row per key, the record packed as a BLOB. */
export class SqliteStoreBase implements CacheStore {
  readonly path: string;
  readonly table: string;
  #db: Promise<SqliteDatabase> | undefined;
  #writes = 0;
  readonly #open: (path: string) => SqliteDatabase | Promise<SqliteDatabase>;

  constructor(
    options: SqliteStoreOptions,
    open: (path: string) => SqliteDatabase | Promise<SqliteDatabase>,
  ) {
    const { path, table } = checkSqliteOptions(options);
    this.path = path;
    this.table = table;
    this.#open = open;
  }

  #database(): Promise<SqliteDatabase> {
    this.#db ??= (async () => {
      const db = await this.#open(this.path);
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${this.table} (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires INTEGER NOT NULL)`,
      );
      return db;
    })();
    return this.#db;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const db = await this.#database();
    const row = db.prepare(`SELECT value, expires FROM ${this.table} WHERE key = ?`).get(key) as
      | { value: Uint8Array; expires: number }
      | undefined
      | null;
    if (!row) return undefined;
    if (Number(row.expires) <= Date.now()) {
      db.prepare(`DELETE FROM ${this.table} WHERE key = ?`).run(key);
      return undefined;
    }
    return unpackRecord(new Uint8Array(row.value));
  }

  async set(key: string, record: CacheRecord, options: CacheSetOptions): Promise<void> {
    const db = await this.#database();
    const now = Date.now();
    db.prepare(`INSERT OR REPLACE INTO ${this.table} (key, value, expires) VALUES (?, ?, ?)`).run(
      key,
      packRecord(record),
      now + options.ttl,
    );
    if (++this.#writes % sweepEvery === 0) {
      db.prepare(`DELETE FROM ${this.table} WHERE expires <= ?`).run(now);
    }
  }

  async delete(key: string): Promise<void> {
    const db = await this.#database();
    db.prepare(`DELETE FROM ${this.table} WHERE key = ?`).run(key);
  }

  /** Closes the database (a later call opens it again). */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db).close();
  }
}
