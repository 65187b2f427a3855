#!/usr/bin/env node
// The unit tests: every `packages/*/src/**/*.test.ts`, run by `node:test` on the
// TypeScript source in one `node --test` run, with no build. tsx compiles the
// source; scripts/unit/hooks.mjs resolves the workspace packages by name
// (`@fetchstack/core/internal`) to their `src/`, so no `dist/` is read.
//
//   node scripts/unit.mjs              every unit test
//   node scripts/unit.mjs retry cookies only the files whose path contains a word
//
// Prints node:test's own report and summary, then `N passed, N failed, N skipped`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Every unit test file, as a path relative to the repository root, sorted. */
export function unitTestFiles(words = []) {
  const files = [];
  const packages = join(root, 'packages');
  for (const name of readdirSync(packages)) {
    const src = join(packages, name, 'src');
    if (!existsSync(src)) continue;
    for (const file of readdirSync(src, { recursive: true })) {
      if (String(file).endsWith('.test.ts')) files.push(relative(root, join(src, String(file))));
    }
  }
  return files
    .filter((file) => words.length === 0 || words.some((word) => file.includes(word)))
    .sort();
}

/**
 * Runs the unit tests (all, or those whose path contains one of `words`) and
 * resolves to their counts; the report goes to this process's stdout.
 * @returns {Promise<{ passed: number, failed: number, skipped: number, files: number }>}
 */
export function runUnit({ words = [] } = {}) {
  const files = unitTestFiles(words);
  if (files.length === 0) {
    console.log(`no unit test file${words.length ? ` matches ${words.join(', ')}` : ''}`);
    return Promise.resolve({ passed: 0, failed: 0, skipped: 0, files: 0 });
  }
  const args = [
    '--import',
    'tsx/esm',
    '--import',
    './scripts/unit/register.mjs',
    '--test',
    // Each file runs in its own process; starting one (Node + tsx) is most of a file's time,
    // so more at once than cores pays off (16 files on 2 busy cores: 12 s at 1, 4.7 s at 4).
    '--test-concurrency=4',
    '--test-reporter=spec',
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code, signal) => {
      // node:test's summary: `ℹ pass 12`, `ℹ fail 0`, `ℹ cancelled 0`, `ℹ skipped 1`, `ℹ todo 0`.
      const count = (label) => {
        const m = new RegExp(`^\\S* ?${label} (\\d+)$`, 'm').exec(output);
        return m ? Number(m[1]) : undefined;
      };
      const pass = count('pass');
      const fail = count('fail');
      if (pass === undefined || fail === undefined) {
        console.log(`[unit] FAIL node --test exited ${code ?? signal} without a summary`);
        resolve({ passed: 0, failed: 1, skipped: 0, files: files.length });
        return;
      }
      const failed = fail + (count('cancelled') ?? 0);
      const result = {
        passed: pass,
        // A non-zero exit with no failed test (a file that does not load) still fails the run.
        failed: failed === 0 && code !== 0 ? 1 : failed,
        skipped: (count('skipped') ?? 0) + (count('todo') ?? 0),
        files: files.length,
        // node:test's closing list of failing tests (its lines start with ✖).
        failures: output.split('\n').filter((l) => /^\s*✖/.test(l)),
      };
      resolve(result);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runUnit({ words: process.argv.slice(2) });
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exit(r.failed === 0 ? 0 : 1);
}
