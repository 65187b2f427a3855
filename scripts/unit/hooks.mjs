// Module resolution hooks for the unit tests: a workspace package imported by
// name (`@fetchstack/core/internal`) resolves to the TypeScript source its
// `exports` entry is built from, so that the unit tests need no `dist/`.
//
// Each package builds `src/<name>.ts` to `dist/<name>.js` (`rootDir: src`,
// `outDir: dist`), so the entry that Node would pick (`node`, `import`,
// `default`, in the package's key order) is read, and `./dist/x.js` becomes
// `./src/x.ts`. Following `exports` keeps one source of truth: a subpath or a
// runtime entry added to a package.json works here without an edit. A
// specifier that is not a workspace package, or whose source file is missing,
// goes on to the next resolver unchanged.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packagesDir = new URL('../../packages/', import.meta.url);

/** name -> { dir, manifest } for every folder under packages/. */
const workspace = new Map();
for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const dir = join(packagesDir.pathname, entry.name);
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof manifest.name === 'string') workspace.set(manifest.name, { dir, manifest });
}

/** The package and the `exports` subpath a bare specifier names, if it is ours. */
function split(specifier) {
  for (const [name, pkg] of workspace) {
    if (specifier === name) return { pkg, subpath: '.' };
    if (specifier.startsWith(`${name}/`))
      return { pkg, subpath: `.${specifier.slice(name.length)}` };
  }
  return undefined;
}

/** The target an `exports` value resolves to under `conditions` (first matching key wins). */
function pick(value, conditions) {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = pick(item, conditions);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, next] of Object.entries(value)) {
      if (key !== 'default' && !conditions.has(key)) continue;
      const found = pick(next, conditions);
      if (found) return found;
    }
  }
  return undefined;
}

/** The `exports` entry for `subpath` (the `"."` sugar and a bare `main` included). */
function entryOf(manifest, subpath) {
  const { exports, main } = manifest;
  if (exports === undefined) return subpath === '.' ? main : undefined;
  const sugar =
    typeof exports === 'string' ||
    Array.isArray(exports) ||
    Object.keys(exports).every((key) => !key.startsWith('.'));
  if (sugar) return subpath === '.' ? exports : undefined;
  return exports[subpath];
}

function sourceOf(pkg, subpath, conditions) {
  const entry = entryOf(pkg.manifest, subpath);
  const target = entry === undefined ? undefined : pick(entry, conditions);
  if (typeof target !== 'string' || !/^\.\/dist\/.*\.js$/.test(target)) return undefined;
  const source = join(pkg.dir, 'src', target.slice('./dist/'.length).replace(/\.js$/, '.ts'));
  return existsSync(source) ? pathToFileURL(source).href : undefined;
}

export async function resolve(specifier, context, nextResolve) {
  const match = split(specifier);
  if (match) {
    const conditions = new Set(context.conditions ?? ['node', 'import']);
    const url = sourceOf(match.pkg, match.subpath, conditions);
    // tsx resolves the file itself, so that it marks the format it then compiles.
    if (url) return nextResolve(url, context);
  }
  return nextResolve(specifier, context);
}
