// SqliteStore on bun:sqlite (Bun).
import { type SqliteDatabase, SqliteStoreBase, type SqliteStoreOptions } from './sqlite-store.js';

export type { SqliteStoreOptions } from './sqlite-store.js';

// A specifier bundlers leave alone: only Bun has it.
const driver = 'bun:sqlite';

/**
 * A persistent store in a SQLite file, through the runtime's own driver (`node:sqlite` on
 * Node >= 22.5 and Deno, `bun:sqlite` on Bun): nothing to install. Expired rows are dropped
 * when read and swept now and then.
 *
 * @example
 * import { SqliteStore } from '@fetchstack/cache/sqlite';
 * const session = createSession({ cache: { store: new SqliteStore({ path: './http-cache.sqlite' }) } });
 */
export class SqliteStore extends SqliteStoreBase {
  constructor(options: SqliteStoreOptions) {
    super(options, async (path) => {
      const { Database } = (await import(driver)) as {
        Database: new (path: string) => SqliteDatabase;
      };
      return new Database(path);
    });
  }
}
