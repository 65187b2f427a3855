// Where the bytes of one bundle go: minified bytes per input file, up front and lazy.
//   node bench/lib/where.mjs "export { createSession } from '@fetchstack/session/lean';" [browser|workerd]
import { fileURLToPath } from 'node:url';
import { buildSplit, initialChunks, TARGETS } from './bundles.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const code = process.argv[2] ?? `export { createSession } from '@fetchstack/session/lean';`;
const target = TARGETS[process.argv[3] ?? 'browser'];
const result = await buildSplit(code, target);
const outputs = result.metafile.outputs;
const initial = initialChunks(outputs, benchDir);
const short = (p) => p.replace(/^.*packages\//, '').replace(/^.*node_modules\//, '');
for (const [label, keys] of [
  ['up front', [...initial]],
  ['lazy', Object.keys(outputs).filter((k) => !initial.has(k) && k.endsWith('.js'))],
]) {
  const rows = keys.flatMap((k) =>
    Object.entries(outputs[k].inputs).map(([p, v]) => [short(p), v.bytesInOutput]),
  );
  rows.sort((a, b) => b[1] - a[1]);
  console.log(`${label}: ${rows.reduce((s, r) => s + r[1], 0)} B min`);
  for (const [p, b] of rows) if (b) console.log(`  ${String(b).padStart(6)} ${p}`);
}
