// SqliteStore on node:sqlite: Node >= 22.5, and Deno.
import { type SqliteDatabase, SqliteStoreBase, type SqliteStoreOptions } from './sqlite-store.js';

export type { SqliteStoreOptions } from './sqlite-store.js';

type NodeSqlite = { DatabaseSync: new (path: string) => SqliteDatabase };
const g = globalThis as {
  process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } };
};

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
    // Read synchronously, so that a runtime without node:sqlite is told at creation.
    const sqlite = g.process?.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
    if (!sqlite) {
      throw new TypeError(
        `new SqliteStore(options): this runtime has no node:sqlite (it needs Node >= 22.5${g.process?.versions?.node ? `; this is Node ${g.process.versions.node}` : ''}). Use MemoryStore, or your own store.`,
      );
    }
    super(options, (path) => new sqlite.DatabaseSync(path));
  }
}
