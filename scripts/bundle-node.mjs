#!/usr/bin/env node
// The second half of a package's build (after tsc): one bundled ES module per entry that Node
// loads, so that importing a package reads a few files instead of one per source module (Node
// resolves, reads and links each file of an import graph; on a cold start that is most of a
// package's import time).
//
// The package's own exports map says what to build: every `"node": "./dist/node/<path>"`
// (or `"node": { "types", "default": "./dist/node/<path>" }`)
// target is bundled from `./dist/<path>` (tsc's output), all entries of a package together
// with code splitting, so the code they share (and every class `instanceof` looks at) is one
// module, and code behind a dynamic `import()` stays behind it. Other packages and
// dependencies stay imports. Browsers, Workers, Deno and Bun keep their own conditions.
//
//   node ../../scripts/bundle-node.mjs     (run in a package's folder by its build script)
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const prefix = './dist/node/';

const entries = [];
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  let node = typeof target === 'object' && target !== null ? target.node : undefined;
  // `"node": { "types": ..., "default": ... }` names its own types.
  if (typeof node === 'object' && node !== null) node = node.default;
  if (node === undefined) continue;
  if (typeof node !== 'string' || !node.startsWith(prefix)) {
    throw new Error(
      `${pkg.name}: exports["${subpath}"].node must be a path under ${prefix}, got ${JSON.stringify(node)}`,
    );
  }
  entries.push(join(dir, 'dist', node.slice(prefix.length)));
}
if (entries.length === 0) throw new Error(`${pkg.name}: no "node" export condition to build`);

rmSync(join(dir, 'dist/node'), { recursive: true, force: true });
await build({
  entryPoints: entries,
  outbase: join(dir, 'dist'),
  outdir: join(dir, 'dist/node'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // tsc's source maps are read and carried through, so stack traces still point at src/.
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
