// Starts the local server, then runs main.mjs in Bun against it.
//   node examples/runtime-bun/run.mjs
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocal } from '@fetchstack-examples/local-server';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, 'node_modules', '.bin', 'bun');
const local = await startLocal();
let status = 1;
try {
  // The server lives in this process, so the runtime runs as a child (never spawnSync).
  status = await new Promise((resolve) => {
    const child = spawn(bin, ['run', join(here, 'main.mjs'), local.test], {
      cwd: here,
      stdio: 'inherit',
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
} finally {
  await local.close();
}
process.exit(status);
