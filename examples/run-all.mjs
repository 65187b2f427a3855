#!/usr/bin/env node
// Runs every example (each folder here whose package.json has a `start` script
// of the form `node <file>`), three at a time, each against the local server it
// starts itself. Prints each example's output, one ok/FAIL line per example,
// and `N passed, N failed` last; exits 1 when any failed.
//   node examples/run-all.mjs [name-filter]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const limitMs = 180_000;

const examples = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'package.json')))
  .map((d) => {
    const pkg = JSON.parse(readFileSync(join(here, d.name, 'package.json'), 'utf8'));
    const start = /^node\s+(\S+)$/.exec(pkg.scripts?.start ?? '');
    return start ? { name: d.name, dir: join(here, d.name), file: start[1] } : undefined;
  })
  .filter((e) => e && (!filter || e.name.includes(filter)))
  .sort((a, b) => a.name.localeCompare(b.name));

function run(example) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(process.execPath, [example.file], {
      cwd: example.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed: still running after ${limitMs / 1000} s)`;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        ...example,
        ok: code === 0,
        code: code ?? signal,
        ms: Date.now() - started,
        output,
      });
    });
  });
}

const results = [];
let next = 0;
async function worker() {
  while (next < examples.length) {
    const result = await run(examples[next++]);
    const body = result.output
      .trimEnd()
      .split('\n')
      .map((l) => `  [${result.name}] ${l}`)
      .join('\n');
    if (body.trim()) console.log(body);
    console.log(
      `[examples] ${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.ms} ms${result.ok ? '' : `, exit ${result.code}`})`,
    );
    results.push(result);
  }
}
await Promise.all([worker(), worker(), worker()]);

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
