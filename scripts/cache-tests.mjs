#!/usr/bin/env node
// Scores @fetchstack/cache with the public HTTP cache test suite (http-tests/cache-tests,
// vendored unmodified in vendor/cache-tests): its own server on 127.0.0.1, its own client
// runner, with a session's fetch (`cache: true`, and `cache: { shared: true }`) as the fetch
// under test. Prints the counts (required and optional apart) per runtime and cache.
//
//   node scripts/cache-tests.mjs                     Node, private and shared (what CI runs)
//   node scripts/cache-tests.mjs --runtimes node,deno,bun
//   node scripts/cache-tests.mjs --undici            also undici's cache interceptor (Node)
//   node scripts/cache-tests.mjs --check             fail on a regression against the baseline
//   node scripts/cache-tests.mjs --update-baseline   record the current results as the baseline
//   node scripts/cache-tests.mjs --failures --json results.json   list failures; keep the raw results
//
// Counting: the suite has known failures, so each of its results is not a pass/fail of ours.
// The baseline (scripts/cache-tests/baseline.json) records, per runtime and cache, which
// required tests pass; `--check` fails a configuration when one of those now fails (or the
// count drops), and prints one line per configuration and `N passed, N failed` at the end.
// Needs the packages built (`npx turbo run build`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'vendor', 'cache-tests');
const out = join(root, '.cache', 'cache-tests');
const baselineFile = join(root, 'scripts', 'cache-tests', 'baseline.json');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const runtimes = option('--runtimes', 'node').split(',');
const only = option('--cache', undefined);
const caches = only ? [only] : ['private', 'shared'];

const { default: suites } = await import(pathToFileURL(join(vendor, 'tests', 'index.mjs')).href);
const { determineTestResult, resultTypes } = await import(
  pathToFileURL(join(vendor, 'test-engine', 'lib', 'results.mjs')).href
);

const started = Date.now();
mkdirSync(out, { recursive: true });
linkUndici();
await bundle();
const server = await startServer();
try {
  const jobs = [];
  for (const runtime of runtimes) {
    for (const cache of caches)
      jobs.push({ name: `${runtime} ${cache}`, runtime, cache, client: 'fetchstack' });
  }
  if (flag('--undici')) {
    for (const cache of caches)
      jobs.push({ name: `undici ${cache}`, runtime: 'node', cache, client: 'undici' });
  }
  // Two configurations at a time: each sends every test at once against the one suite server,
  // and six at once on a busy two-core machine pushed some requests past the suite's own
  // 10 s request timeout.
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await runClient(jobs[i], server.base);
    }
  };
  await Promise.all([worker(), worker()]);
  if (option('--json', undefined)) {
    const all = Object.fromEntries(jobs.map((job, i) => [job.name, results[i]]));
    writeFileSync(option('--json', undefined), `${JSON.stringify(all, null, 2)}\n`);
  }
  report(jobs, results);
} finally {
  server.child.kill();
}

function report(jobs, results) {
  const baseline = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')) : {};
  const chrome = JSON.parse(readFileSync(join(vendor, 'results', 'chrome.json'), 'utf8'));
  const rows = jobs.map((job, i) => ({ job, counts: count(results[i], job.cache === 'private') }));
  const reference = count(chrome, true);
  console.log(
    `cache-tests (vendor/cache-tests): required pass/fail, optional pass/fail, checks yes/no, not scored (setup or harness); ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const { job, counts } of rows) console.log(`  ${job.name.padEnd(16)} ${line(counts)}`);
  console.log(`  ${'Chrome (published)'.padEnd(16)} ${line(reference)}`);
  if (flag('--failures')) {
    for (const { job, counts } of rows) {
      console.log(`required tests failing, ${job.name}:`);
      for (const id of counts.failing)
        console.log(`  ${id}: ${[].concat(results[jobs.indexOf(job)][id]).join(' ')}`);
    }
  }

  if (flag('--update-baseline')) {
    const next = { ...baseline };
    for (const { job, counts } of rows) {
      if (job.client !== 'fetchstack') continue;
      next[job.name] = { required: counts.passing.length, passing: counts.passing };
    }
    writeFileSync(baselineFile, `${JSON.stringify(next, null, 2)}\n`);
    console.log(`baseline written: ${baselineFile}`);
  }
  if (!flag('--check')) return;
  let passed = 0;
  let failed = 0;
  for (const { job, counts } of rows) {
    if (job.client !== 'fetchstack') continue;
    const known = baseline[job.name];
    if (!known) {
      console.log(`[cache-tests] FAIL ${job.name}: no baseline (run with --update-baseline)`);
      failed += 1;
      continue;
    }
    const now = new Set(counts.passing);
    const lost = known.passing.filter((id) => !now.has(id));
    if (lost.length === 0 && counts.passing.length >= known.required) {
      console.log(
        `[cache-tests] ok   ${job.name}: ${counts.passing.length} required tests pass on their own (baseline ${known.required})`,
      );
      passed += 1;
    } else {
      console.log(
        `[cache-tests] FAIL ${job.name}: ${counts.passing.length} required tests pass (baseline ${known.required}); no longer passing: ${lost.join(', ') || 'none'}`,
      );
      failed += 1;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

/** The counts of one run, by the suite's own classification (a test whose dependency fails is not scored, as on the suite's results page). */
function count(results, browser) {
  const c = {
    required: [0, 0],
    optional: [0, 0],
    check: [0, 0],
    unscored: 0,
    passing: [],
    failing: [],
  };
  for (const suite of suites) {
    for (const test of suite.tests) {
      if (browser ? test.cdn_only : test.browser_only) continue;
      if (!(test.id in results)) continue;
      const type = determineTestResult(suites, test.id, results, true);
      const required = test.kind === 'required' || test.kind === undefined;
      // The baseline keeps each required test's own result, whatever its dependencies did.
      if (required && results[test.id] === true) c.passing.push(test.id);
      if (type === resultTypes.pass && required) {
        c.required[0] += 1;
      } else if (type === resultTypes.fail) {
        c.required[1] += 1;
        c.failing.push(test.id);
      } else if (type === resultTypes.pass) c.optional[0] += 1;
      else if (type === resultTypes.optional_fail) c.optional[1] += 1;
      else if (type === resultTypes.yes) c.check[0] += 1;
      else if (type === resultTypes.no) c.check[1] += 1;
      else c.unscored += 1;
    }
  }
  c.passing.sort();
  return c;
}

function line(c) {
  return `required ${c.required[0]}/${c.required[1]}, optional ${c.optional[0]}/${c.optional[1]}, checks ${c.check[0]}/${c.check[1]}, not scored ${c.unscored}`;
}

async function bundle() {
  const targets = {
    node: { platform: 'node', conditions: ['node'] },
    deno: { platform: 'neutral', conditions: ['deno'] },
    bun: { platform: 'neutral', conditions: ['bun'] },
  };
  await Promise.all(
    [...new Set(runtimes)].map((runtime) => {
      const target = targets[runtime];
      if (!target) throw new Error(`cache-tests: unknown runtime ${runtime} (node, deno, bun)`);
      return esbuild.build({
        entryPoints: [join(root, 'scripts', 'cache-tests', 'client.mjs')],
        outfile: join(out, `client-${runtime}.mjs`),
        bundle: true,
        format: 'esm',
        platform: target.platform,
        conditions: target.conditions,
        mainFields: target.platform === 'neutral' ? ['module', 'main'] : undefined,
        target: 'es2022',
        // The suite imports undici only for its interim-response tests (Node's own fetch).
        external: ['node:*', 'undici'],
        logLevel: 'error',
        banner:
          runtime === 'node'
            ? undefined
            : {
                js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
              },
      });
    }),
  );
}

/**
 * The suite's interim-response tests import undici (Node's fetch cannot show 1xx responses):
 * make the copy the workspace has (through @fetchstack/proxy) resolvable from the bundles.
 */
function linkUndici() {
  const target = join(root, 'packages', 'proxy', 'node_modules', 'undici');
  const link = join(out, 'node_modules', 'undici');
  if (!existsSync(target) || existsSync(link)) return;
  mkdirSync(join(out, 'node_modules'), { recursive: true });
  symlinkSync(target, link, 'dir');
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(vendor, 'test-engine', 'server', 'server.mjs')], {
      env: {
        ...process.env,
        npm_config_protocol: 'http',
        npm_config_port: '0',
        npm_config_pidfile: join(out, 'server.pid'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = /Listening on http:\/\/\S+:(\d+)\//.exec(text);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`cache-tests server exited (${code})`)));
  });
}

function runClient(job, base) {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const file = join(out, `client-${job.runtime}.mjs`);
  const command =
    job.runtime === 'deno'
      ? [bin('deno'), ['run', '-A', '--no-config', '--no-lock', file]]
      : job.runtime === 'bun'
        ? [bin('bun'), [file]]
        : [process.execPath, [file]];
  const env = {
    ...process.env,
    CACHE_TESTS_BASE: base,
    CACHE_TESTS_CACHE: job.cache,
    CACHE_TESTS_CLIENT: job.client,
    CACHE_TESTS_UNDICI: pathToFileURL(
      join(root, 'packages', 'proxy', 'node_modules', 'undici', 'index.js'),
    ).href,
    DENO_NO_UPDATE_CHECK: '1',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command[1], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), 180_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`cache-tests ${job.name}: client exited ${code}\n${stderr.slice(-2000)}`));
      }
    });
  });
}
