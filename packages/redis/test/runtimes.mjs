#!/usr/bin/env node
// Runs test/smoke.mjs (the Redis store on its built package) in Node, Deno and Bun against a
// redis-server this script starts on a free loopback port. One line per check and runtime,
// then "N passed, N failed, N skipped" (a runtime or redis-server that is missing: its checks
// are skipped, with the reason). scripts/test.mjs counts them.
//   node packages/redis/test/runtimes.mjs [node,deno,bun]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const root = join(pkg, '..', '..');
const smoke = join(here, 'smoke.mjs');
const checksPerRuntime = 4;
const wanted = (process.argv[2] ?? 'node,deno,bun').split(',');
const runtimes = {
  node: [process.execPath, [smoke]],
  deno: [join(root, 'node_modules', '.bin', 'deno'), ['run', '-A', '--no-lock', smoke]],
  bun: [join(root, 'node_modules', '.bin', 'bun'), [smoke]],
};
const redisBinary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);
const totals = { passed: 0, failed: 0, skipped: 0 };

function skipAll(why, names = wanted) {
  for (const name of names) {
    console.log(`[redis ${name}] skip: ${why}`);
    totals.skipped += checksPerRuntime;
  }
}

if (!redisBinary) skipAll('redis-server is not installed (apt-get install redis-server)');
else if (!existsSync(join(pkg, 'dist', 'index.js')))
  skipAll('@fetchstack/redis is not built (pnpm --filter @fetchstack/redis build)');
else {
  const port = await freePort();
  const redis = spawn(
    redisBinary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(port);
    for (const name of wanted) {
      const [command, args] = runtimes[name] ?? [];
      if (!command || !existsSync(command)) {
        skipAll(`${name} is not installed (${command ?? 'unknown runtime'})`, [name]);
        continue;
      }
      const r = spawnSync(command, args, {
        cwd: pkg,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          REDIS_URL: `redis://127.0.0.1:${port}`,
          NO_COLOR: '1',
          DENO_NO_UPDATE_CHECK: '1',
        },
      });
      const out = `${r.stdout ?? ''}`.trim().split('\n');
      for (const line of out.slice(0, -1)) console.log(`[redis ${name}] ${line}`);
      const m = /^(\d+) passed, (\d+) failed$/.exec(out.at(-1) ?? '');
      if (m && Number(m[1]) + Number(m[2]) === checksPerRuntime) {
        totals.passed += Number(m[1]);
        totals.failed += Number(m[2]);
      } else {
        totals.failed += checksPerRuntime;
        console.log(
          `[redis ${name}] FAIL exited ${r.status ?? r.signal} without a full count: ${`${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-10).join(' / ')}`,
        );
      }
    }
  } finally {
    redis.kill('SIGTERM');
  }
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}
