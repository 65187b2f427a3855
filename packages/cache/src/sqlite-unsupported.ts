// SqliteStore where no SQLite driver exists (browsers, workerd): refused at creation.
import { checkSqliteOptions, SqliteStoreBase, type SqliteStoreOptions } from './sqlite-store.js';

export type { SqliteStoreOptions } from './sqlite-store.js';

/** Browsers and Workers have no SQLite driver: use `CacheApiStore` there. */
export class SqliteStore extends SqliteStoreBase {
  constructor(options: SqliteStoreOptions) {
    checkSqliteOptions(options);
    throw new TypeError(
      'new SqliteStore(options): this runtime has no SQLite driver (browsers, Workers). Use CacheApiStore or MemoryStore.',
    );
    // biome-ignore lint/correctness/noUnreachable: the class keeps the same shape as on servers.
    super(options, () => Promise.reject());
  }
}
