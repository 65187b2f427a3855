#!/usr/bin/env node
// Builds the API reference (TypeDoc, from every published package's types and doc
// comments) into docs/dist/, a static folder to publish as it is. Fails on a TypeDoc
// error; lists every export (option fields included) that has no description and every
// option field without a `@default`, and with --strict fails on those too.
//   node scripts/api-docs.mjs [--strict]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const strict = process.argv.includes('--strict');
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'typedoc'),
  ['--options', 'typedoc.json', '--logLevel', 'Warn', '--json', 'dist/api.json'],
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

// Option fields without a `@default`: every property of an exported *Options / *Settings
// interface (and of the object types nested in one).
const noDefault = [];
try {
  const project = JSON.parse(readFileSync(join(root, 'docs', 'dist', 'api.json'), 'utf8'));
  const hasDefault = (node) =>
    [...(node.comment?.blockTags ?? []), ...(node.signatures?.[0]?.comment?.blockTags ?? [])].some(
      (tag) => tag.tag === '@default',
    );
  const visitFields = (owner, fields) => {
    for (const field of fields ?? []) {
      if (field.kind !== 1024) continue; // properties only
      if (!hasDefault(field)) noDefault.push(`${owner}.${field.name}`);
      const nested = field.type?.declaration?.children;
      if (nested) visitFields(`${owner}.${field.name}`, nested);
    }
  };
  const visit = (node, where) => {
    for (const child of node.children ?? []) {
      const name = `${where}${child.name}`;
      if (
        /(Options|Settings)$/.test(child.name) &&
        (child.kind === 256 || child.kind === 2097152)
      ) {
        visitFields(`${where}${child.name}`, child.children ?? child.type?.declaration?.children);
      }
      if (child.kind === 2 || child.kind === 4) visit(child, `${name} › `); // modules, namespaces
    }
  };
  visit(project, '');
} catch (error) {
  console.log(`(could not read docs/dist/api.json: ${error.message})`);
}
const uniqueNoDefault = [...new Set(noDefault)];
if (uniqueNoDefault.length) {
  console.log(`${uniqueNoDefault.length} option fields without @default:`);
  for (const line of uniqueNoDefault) console.log(`  ${line}`);
}

if (undocumented.length) {
  console.log(`${undocumented.length} exports without a description:`);
  for (const line of undocumented) console.log(`  ${line}`);
}
console.log(
  `api reference: docs/dist/ built, ${errors} errors, ${undocumented.length} undocumented exports, ${uniqueNoDefault.length} option fields without @default${strict ? ' (--strict)' : ''}`,
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
process.exit(strict && (undocumented.length || uniqueNoDefault.length) ? 1 : 0);
