#!/usr/bin/env node
// Builds the API reference (TypeDoc, from every published package's types and doc
// comments) into docs/api/, a static folder to publish as it is. Fails on a TypeDoc
// error; lists every export (option fields included) that has no description, and with
// --strict fails on those too.
//   node scripts/api-docs.mjs [--strict]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const strict = process.argv.includes('--strict');
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'typedoc'),
  ['--options', 'typedoc.json', '--logLevel', 'Warn'],
  {
    cwd: join(root, 'docs'),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  },
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
const undocumented = output
  .split('\n')
  .filter((line) => line.includes('does not have any documentation'))
  .map((line) =>
    line.replace(/^\[warning\] /, '').replace(/, does not have any documentation$/, ''),
  );
const errors = /Found (\d+) errors?/.exec(output)?.[1] ?? (r.status === 0 ? '0' : '?');

if (undocumented.length) {
  console.log(`${undocumented.length} exports without a description:`);
  for (const line of undocumented) console.log(`  ${line}`);
}
console.log(
  `api reference: docs/api/ built, ${errors} errors, ${undocumented.length} undocumented exports${strict ? ' (--strict)' : ''}`,
);
if (r.status !== 0 || errors !== '0') {
  console.log(
    output
      .split('\n')
      .filter((l) => /error/i.test(l))
      .slice(0, 40)
      .join('\n'),
  );
  process.exit(1);
}
process.exit(strict && undocumented.length ? 1 : 0);
