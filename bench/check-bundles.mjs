#!/usr/bin/env node
// CI check for the bundle sizes of issue 8 (sizes are deterministic; throughput is
// only ever reported).
//
// 1. Prints every budget as met or MISSED, with its figure. A missed goal is
//    reported, never loosened, and does not fail the check by itself.
// 2. Fails (exit 1) when:
//    - a fetchstack bundle is larger than its size recorded in the committed
//      ratchet file bench/bundle-sizes.json, plus a tolerance of 2% (at least 32
//      bytes), so the sizes can only go down unless someone decides otherwise;
//    - tough-cookie appears in a browser build of createSession;
//    - a package is not built or a bundle fails to build (build first:
//      `npx turbo run build`);
//    - a budget that the ratchet records as met is missed now (a met budget
//      stays met).
// 3. `--update` rewrites bench/bundle-sizes.json from this run, after a
//    deliberate change (commit it with the change and say why).
//
//   node bench/check-bundles.mjs [--update] [--json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
const failures = [];
const own = Object.values(results).filter((r) => r.group !== 'third-party');

console.log('bundles (min+gz; ratchet = bench/bundle-sizes.json + 2%):');
for (const r of own) {
  if (r.status) {
    failures.push(`${r.id}: ${r.status}`);
    console.log(`  FAIL ${r.id}: ${r.status}`);
    continue;
  }
  const recorded = ratchet.bundles?.[r.id]?.gz;
  const allowed =
    recorded === undefined
      ? undefined
      : recorded + Math.max(MIN_SLACK, Math.ceil(recorded * TOLERANCE));
  const grew = !update && allowed !== undefined && r.gz > allowed;
  const versus =
    recorded === undefined
      ? 'not recorded'
      : `recorded ${kb(recorded)}, ${r.gz === recorded ? '±0' : `${r.gz > recorded ? '+' : ''}${r.gz - recorded} B`}`;
  if (grew)
    failures.push(`${r.id} grew to ${kb(r.gz)} (recorded ${kb(recorded)}, allowed ${kb(allowed)})`);
  console.log(
    `  ${grew ? 'FAIL' : 'ok  '} ${r.id}: ${kb(r.gz)} (${(r.min / KB).toFixed(1)} KB min; ${versus}) [${r.packages.join(', ')}]`,
  );
}

console.log('budgets (issue 8; goals, reported):');
const metBefore = new Set(ratchet.budgetsMet ?? []);
for (const b of budgets) {
  const label = b.met === true ? 'met   ' : b.met === false ? 'MISSED' : 'n/a   ';
  console.log(`  ${label} ${b.name}${b.display ? `: ${b.display}` : ` (${b.status})`}`);
  const toughCookie = b.name.startsWith('no tough-cookie in');
  if (toughCookie && b.met !== true) failures.push(`${b.name}: ${b.display ?? b.status}`);
  else if (!update && b.met !== true && metBefore.has(b.name))
    failures.push(`${b.name}: was met, now ${b.display ?? b.status}`);
}

if (update) {
  if (own.some((r) => r.status)) {
    console.log('not updating the ratchet: some bundles did not build');
    process.exit(1);
  }
  const next = {
    note: 'Ratchet for bench/check-bundles.mjs: min+gz bytes (gzip -9) of each fetchstack bundle; rewrite with `node bench/check-bundles.mjs --update` after a deliberate change.',
    tolerance: TOLERANCE,
    bundles: Object.fromEntries(own.map((r) => [r.id, { gz: r.gz, min: r.min }])),
    budgetsMet: budgets.filter((b) => b.met === true).map((b) => b.name),
  };
  writeFileSync(RATCHET, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`wrote ${RATCHET}`);
}

const missed = budgets.filter((b) => b.met !== true).length;
console.log(
  `${budgets.length - missed} of ${budgets.length} budgets met, ${missed} missed; ` +
    (failures.length ? `${failures.length} check failure(s):` : 'no bundle grew past the ratchet'),
);
for (const f of failures) console.log(`  - ${f}`);
process.exit(failures.length ? 1 : 0);
