// node|bun|deno run.mjs <base URL>: runs consumer.ts (compiled to out/consumer.js).
import { run } from './out/consumer.js';

const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : `node ${process.version}`;
const base = globalThis.Deno ? Deno.args[0] : process.argv[2];
try {
  for (const line of await run(base)) console.log(`[${runtime}] ${line}`);
} catch (error) {
  console.error(`[${runtime}]`, error);
  globalThis.Deno ? Deno.exit(1) : process.exit(1);
}
