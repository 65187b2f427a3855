#!/usr/bin/env node
// CI check for the bundle sizes (sizes are deterministic; throughput is only
// ever reported).
//
// 1. Prints every budget (the goals of the "Weight and speed" issue: the lean
//    session ≤ 6 KB, the default session ≤ ky + the lean one, each wrapper
//    ≤ 1.5 KB, the proxy package in a browser ≤ 0.5 KB; no tough-cookie in a
//    browser build; the ky client adds only ky) as met or MISSED, with its figure.
// 2. A budget that is met is a hard limit: once the ratchet file records it as
//    met (`--update`), crossing it fails the check, and the bundles it governs are
//    held by it rather than by the ratchet. Every other bundle keeps the ratchet.
// 3. Fails (exit 1) when:
//    - a bundle under a locked (met) budget crosses that budget;
//    - any other fetchstack bundle is larger than its size recorded in the
//      committed ratchet file bench/bundle-sizes.json, plus a tolerance of 2% (at
//      least 32 bytes), so the sizes can only go down unless someone decides otherwise;
//    - tough-cookie appears in a browser build of createSession (always a hard limit);
//    - a package is not built or a bundle fails to build (build first:
//      `npx turbo run build`);
//    - an export of a fetchstack entry is undefined when the entry is bundled without
//      code splitting (esbuild, browser and node conditions) and run.
//    A budget met now but not yet recorded is printed as "met, not locked yet":
//    run `--update` and commit the file to make it a hard limit.
// 4. `--update` rewrites bench/bundle-sizes.json from this run, after a
//    deliberate change (commit it with the change and say why). It records newly
//    met budgets and never drops a recorded one: a hard limit is removed only by
//    editing the file, on purpose.
//
// Sizes are of what a page loads up front (esbuild with code splitting, as an app's
// bundler builds it); code behind a dynamic import() (digest auth's challenge
// answering) is printed beside each bundle as "loaded only when used", and recorded.
//
//   node bench/check-bundles.mjs [--update] [--json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KB, measureAll } from './lib/bundles.mjs';

const RATCHET = fileURLToPath(new URL('./bundle-sizes.json', import.meta.url));
const TOLERANCE = 0.02;
const MIN_SLACK = 32; // bytes: gzip output moves by a few bytes on unrelated edits

const update = process.argv.includes('--update');
const { results, budgets } = await measureAll();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ results, budgets }, (k, v) => (k === 'inputs' ? undefined : v), 2));
}

let ratchet = { bundles: {}, budgetsMet: [] };
try {
  ratchet = JSON.parse(readFileSync(RATCHET, 'utf8'));
} catch (error) {
  if (!update) console.log(`no ratchet file (${error.code ?? error.message}): run with --update`);
}

const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;
// Code behind a dynamic import() is not in the figure (the page does not load it up front) but is always shown.
const lazyNote = (r) =>
  r.lazy
    ? `; + ${kb(r.lazy.gz)} loaded only when used (${r.lazy.chunks} lazy chunk${r.lazy.chunks === 1 ? '' : 's'}: ${r.lazy.packages.join(', ')})`
    : '';
const failures = [];
const own = Object.values(results).filter((r) => r.group !== 'third-party');

// Budgets recorded as met are hard limits; the bundles they govern leave the ratchet.
const locked = new Set(ratchet.budgetsMet ?? []);
const hardFor = new Map();
for (const b of budgets)
  if (locked.has(b.name)) for (const id of b.bundles ?? []) hardFor.set(id, b);

console.log(
  'bundles (min+gz; ratchet = bench/bundle-sizes.json + 2%, or the hard limit of a met budget):',
);
for (const r of own) {
  if (r.status) {
    failures.push(`${r.id}: ${r.status}`);
    console.log(`  FAIL ${r.id}: ${r.status}`);
    continue;
  }
  const recorded = ratchet.bundles?.[r.id]?.gz;
  const hard = hardFor.get(r.id);
  const versus =
    recorded === undefined
      ? 'not recorded'
      : `recorded ${kb(recorded)}, ${r.gz === recorded ? '±0' : `${r.gz > recorded ? '+' : ''}${r.gz - recorded} B`}`;
  let grew = false;
  let rule;
  if (hard) {
    // A crossed hard limit is counted once, with the budgets below.
    grew = r.gz > hard.limit;
    rule = `hard limit ${kb(hard.limit)}`;
  } else {
    const allowed =
      recorded === undefined
        ? undefined
        : recorded + Math.max(MIN_SLACK, Math.ceil(recorded * TOLERANCE));
    grew = !update && allowed !== undefined && r.gz > allowed;
    rule = allowed === undefined ? 'no ratchet yet' : `ratchet ${kb(allowed)}`;
    if (grew)
      failures.push(
        `${r.id} grew to ${kb(r.gz)} (recorded ${kb(recorded)}, allowed ${kb(allowed)})`,
      );
  }
  console.log(
    `  ${grew ? 'FAIL' : 'ok  '} ${r.id}: ${kb(r.gz)} (${(r.min / KB).toFixed(1)} KB min; ${versus}; ${rule}) [${r.packages.join(', ')}]${lazyNote(r)}`,
  );
}

console.log('budgets (goals; a met one recorded in the ratchet file is a hard limit):');
for (const b of budgets) {
  const toughCookie = b.name.startsWith('no tough-cookie in');
  const hard = toughCookie || locked.has(b.name);
  let label = b.met === true ? 'met   ' : b.met === false ? 'MISSED' : 'n/a   ';
  if (b.met !== true && hard) {
    label = 'FAIL  ';
    failures.push(
      `${b.name}: ${toughCookie ? '' : 'was met (hard limit), now '}${b.display ?? b.status}`,
    );
  }
  const lock =
    b.met === true ? (hard ? ' [hard limit]' : ' [met, not locked yet: run --update]') : '';
  console.log(`  ${label} ${b.name}${b.display ? `: ${b.display}` : ` (${b.status})`}${lock}`);
}

if (update) {
  if (own.some((r) => r.status)) {
    console.log('not updating the ratchet: some bundles did not build');
    process.exit(1);
  }
  const next = {
    note: 'Ratchet for bench/check-bundles.mjs: min+gz bytes (gzip -9) of each fetchstack bundle; rewrite with `node bench/check-bundles.mjs --update` after a deliberate change. budgetsMet: the budgets held as hard limits (--update adds newly met ones and never drops one).',
    tolerance: TOLERANCE,
    bundles: Object.fromEntries(
      own.map((r) => [
        r.id,
        { gz: r.gz, min: r.min, ...(r.lazy ? { lazyGz: r.lazy.gz, lazyMin: r.lazy.min } : {}) },
      ]),
    ),
    // A lock is never dropped by --update: a hard limit goes only by editing this file.
    budgetsMet: [
      ...new Set([...locked, ...budgets.filter((b) => b.met === true).map((b) => b.name)]),
    ],
  };
  writeFileSync(RATCHET, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`wrote ${RATCHET}`);
}

// Every export of each entry, bundled without code splitting (as many apps bundle) and run:
// none may be undefined. esbuild wraps modules that a dynamic import() reaches in lazy
// initialisers, and a binding re-exported with `export *` past one can be read before its
// initialiser runs (`RetryError` was undefined that way); the behaviour suite's bundles need not show it.
const exportFailures = await checkExports();
failures.push(...exportFailures);

const missed = budgets.filter((b) => b.met !== true).length;
console.log(
  `${budgets.length - missed} of ${budgets.length} budgets met, ${missed} missed; ` +
    (failures.length ? `${failures.length} check failure(s):` : 'no bundle grew past the ratchet'),
);
for (const f of failures) console.log(`  - ${f}`);
process.exit(failures.length ? 1 : 0);

async function checkExports() {
  const { build } = await import('esbuild');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const entryPoints = [
    '@fetchstack/core',
    '@fetchstack/core/internal',
    '@fetchstack/headers',
    '@fetchstack/cookies',
    '@fetchstack/redirect',
    '@fetchstack/auth',
    '@fetchstack/retry',
    '@fetchstack/timeout',
    '@fetchstack/proxy',
    '@fetchstack/session',
    '@fetchstack/session/lean',
    '@fetchstack/session/client',
  ];
  const benchDir = fileURLToPath(new URL('.', import.meta.url));
  // Inside bench/, so that what stays external (Node's own, undici, ky, tough-cookie) resolves.
  const dir = mkdtempSync(`${benchDir}.exports-`);
  const found = [];
  let checked = 0;
  try {
    for (const spec of entryPoints) {
      let names;
      try {
        names = Object.keys(await import(spec));
      } catch (error) {
        found.push(`${spec}: not importable (${error.message.split('\n')[0]})`);
        continue;
      }
      for (const target of ['browser', 'node']) {
        const code = `import { ${names.join(', ')} } from '${spec}';\nconst all = { ${names.join(', ')} };\nexport const missing = Object.keys(all).filter((name) => all[name] === undefined);`;
        try {
          const result = await build({
            stdin: { contents: code, resolveDir: benchDir, loader: 'js' },
            bundle: true,
            format: 'esm',
            write: false,
            logLevel: 'silent',
            target: 'es2022',
            platform: target,
            conditions: [target],
            external: ['node:*', 'undici', 'ky', 'tough-cookie'],
          });
          const file = `${dir}/${checked}.mjs`;
          writeFileSync(file, result.outputFiles[0].text);
          const { missing } = await import(pathToFileURL(file).href);
          if (missing.length)
            found.push(`${spec} (${target}, no splitting): undefined ${missing.join(', ')}`);
        } catch (error) {
          found.push(`${spec} (${target}): ${error.message.split('\n')[0].slice(0, 160)}`);
        }
        checked++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    found.length
      ? `exports: ${found.length} of ${checked} bundles have undefined exports or fail:`
      : `exports: every export of ${entryPoints.length} entries is defined when bundled without splitting (browser, node: ${checked} bundles)`,
  );
  for (const f of found) console.log(`  FAIL ${f}`);
  return found.map((f) => `exports: ${f}`);
}
