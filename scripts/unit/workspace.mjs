// The workspace packages and the TypeScript source behind each of their
// `exports` entries. Used by hooks.mjs (running the unit tests) and
// typecheck.mjs (type-checking them), so that both read the source, not `dist/`.
//
// Each package builds `src/<name>.ts` to `dist/<name>.js` and `dist/<name>.d.ts`
// (`rootDir: src`, `outDir: dist`), so an entry's target is mapped back to its
// source. Following `exports` keeps one source of truth: a subpath or a runtime
// entry added to a package.json is found here without an edit.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** name -> { dir, manifest } for every folder under packages/ with a package.json. */
export function workspacePackages() {
  const packages = new Map();
  const packagesDir = join(root, 'packages');
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof manifest.name === 'string') packages.set(manifest.name, { dir, manifest });
  }
  return packages;
}

/** The `exports` map as `{ subpath: entry }` (the `"."` sugar and a bare `main` included). */
export function exportsOf(manifest) {
  const { exports, main } = manifest;
  if (exports === undefined) return main === undefined ? {} : { '.': main };
  const sugar =
    typeof exports === 'string' ||
    Array.isArray(exports) ||
    Object.keys(exports).every((key) => !key.startsWith('.'));
  return sugar ? { '.': exports } : exports;
}

/** The target an `exports` entry resolves to under `conditions` (the first matching key wins). */
function pick(entry, conditions) {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = pick(item, conditions);
      if (found) return found;
    }
    return undefined;
  }
  if (entry && typeof entry === 'object') {
    for (const [key, next] of Object.entries(entry)) {
      if (key !== 'default' && !conditions.has(key)) continue;
      const found = pick(next, conditions);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The source file (absolute path) behind `subpath` of a package under
 * `conditions`, or `undefined` when the entry is not one built from `src/`.
 */
export function sourceOf(pkg, subpath, conditions) {
  const entry = exportsOf(pkg.manifest)[subpath];
  const target = entry === undefined ? undefined : pick(entry, new Set(conditions));
  // `./dist/node/<path>` is the bundle of `./dist/<path>` (scripts/bundle-node.mjs): both come from src/<path>.
  const m =
    typeof target === 'string' ? /^\.\/dist\/(?:node\/)?(.+)\.(?:d\.ts|js)$/.exec(target) : null;
  if (!m) return undefined;
  const source = join(pkg.dir, 'src', `${m[1]}.ts`);
  return existsSync(source) ? source : undefined;
}

/** The workspace package and `exports` subpath a bare specifier names, if it is one of ours. */
export function splitSpecifier(packages, specifier) {
  for (const [name, pkg] of packages) {
    if (specifier === name) return { pkg, subpath: '.' };
    if (specifier.startsWith(`${name}/`))
      return { pkg, subpath: `.${specifier.slice(name.length)}` };
  }
  return undefined;
}
