#!/usr/bin/env node
// CI check: builds the fetchstack bundles with esbuild and exits 1 when a bundle
// budget from issue 8 is exceeded (sizes are deterministic, so this is safe to
// assert; throughput is only ever reported). A package that is not built also
// fails the check: build first (`npx turbo run build`).
//   node bench/check-bundles.mjs [--json]
import { KB, measureAll } from './lib/bundles.mjs';

const { results, budgets } = await measureAll();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ results, budgets }, (k, v) => (k === 'inputs' ? undefined : v), 2));
}
for (const r of Object.values(results)) {
  if (r.group === 'third-party') continue;
  const size = r.status
    ? r.status
    : `${(r.gz / KB).toFixed(2)} KB min+gz (${(r.min / KB).toFixed(1)} KB min) [${r.packages.join(', ')}]`;
  console.log(`  ${r.id}: ${size}`);
}
let failed = 0;
for (const b of budgets) {
  const ok = b.met === true;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${b.name}: ${b.status}${b.display ? ` (${b.display})` : ''}`,
  );
}
console.log(
  failed ? `${failed} bundle budget(s) missed or not measurable` : 'all bundle budgets met',
);
process.exit(failed ? 1 : 0);
