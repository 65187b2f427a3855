// Server-only cases for @fetchstack/cache (Node, Deno, Bun): the SQLite store, on a real file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cache } from '@fetchstack/cache';
import { SqliteStore } from '@fetchstack/cache/sqlite';
import { wrap } from '@fetchstack/core';
import { count, equal, group, match, test, throws, uid } from '@fetchstack/test-kit';

const g = globalThis as { process?: { versions?: { node?: string } } };
/** Node before 22.5 has no node:sqlite. */
function oldNode(): boolean {
  const [major = 0, minor = 0] = (g.process?.versions?.node ?? '99.0').split('.').map(Number);
  return major < 22 || (major === 22 && minor < 5);
}

group('cache (servers)', () => {
  test(
    'SqliteStore on Node before 22.5: a TypeError at creation (no node:sqlite)',
    () => {
      throws(() => new SqliteStore({ path: ':memory:' }), {
        name: 'TypeError',
        message: /node:sqlite/,
      });
    },
    {
      skip: (env) =>
        env.runtime === 'node' && oldNode() ? false : 'this runtime has a SQLite driver',
    },
  );

  test(
    'SqliteStore: a stored response survives a new store on the same file',
    async ({ server }) => {
      const dir = mkdtempSync(join(tmpdir(), 'fetchstack-cache-'));
      const path = join(dir, 'cache.sqlite');
      try {
        const id = uid('sqlite');
        const url = `${server.http}/cache/resource?id=${id}&cc=max-age%3D60&etag=%22q%22`;
        const first = new SqliteStore({ path });
        equal(await (await wrap(fetch, cache({ store: first }))(url)).text(), 'n=1');
        await first.close();
        const second = new SqliteStore({ path });
        const hit = await wrap(fetch, cache({ store: second }))(url);
        match(hit.headers.get('cache-status') ?? '', /^fetchstack; hit/);
        equal(await hit.text(), 'n=1');
        equal(hit.headers.get('etag'), '"q"');
        equal(await count(server, id), 1);
        await second.delete(url);
        equal(await second.get(url), undefined);
        await second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    {
      skip: (env) =>
        env.runtime === 'node' && oldNode() ? 'Node before 22.5 has no node:sqlite' : false,
    },
  );
});
