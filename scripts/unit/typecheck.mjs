#!/usr/bin/env node
// Type-checks the unit tests (`packages/*/src/**/*.test.ts`, with Node's types)
// and the source they import, with no build: tsconfig.test.json plus `paths`
// from every workspace package's `exports` entry to its source (workspace.mjs),
// written to node_modules/.cache/ because a tsconfig cannot compute them.
//
//   node scripts/unit/typecheck.mjs      (exit 1 and tsc's errors when a type is wrong)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unitTestFiles } from '../unit.mjs';
import { exportsOf, root, sourceOf, workspacePackages } from './workspace.mjs';

if (unitTestFiles().length === 0) {
  console.log('no unit test file to type-check');
  process.exit(0);
}

const paths = {};
for (const [name, pkg] of workspacePackages()) {
  for (const subpath of Object.keys(exportsOf(pkg.manifest))) {
    // The `types` entry: every runtime entry of a package has the same types.
    const source = sourceOf(pkg, subpath, ['types']);
    if (source) paths[subpath === '.' ? name : `${name}${subpath.slice(1)}`] = [source];
  }
}
const dir = join(root, 'node_modules', '.cache', 'fetchstack');
mkdirSync(dir, { recursive: true });
const config = join(dir, 'tsconfig.unit.json');
writeFileSync(
  config,
  `${JSON.stringify({ extends: join(root, 'tsconfig.test.json'), compilerOptions: { paths } }, null, 2)}\n`,
);
const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', config], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(tsc.status ?? 1);
