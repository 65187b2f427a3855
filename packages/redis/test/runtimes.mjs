#!/usr/bin/env node
// Runs the Redis store's cross-runtime tests on its built package in Node, Deno and Bun, against
// a redis-server this script starts on a free loopback port and an HTTP server it serves itself
// (on 127.0.0.1, for the cookie jar and the bearer refresh of test/shared.mjs). In each runtime:
//   smoke        test/smoke.mjs: slots, the cache store, cool-downs, the retry budget
//   shared       test/shared.mjs with two sessions (two stores of one prefix) in one process
//   2 processes  test/shared.mjs as two processes of that runtime, one session each
// One line per check and runtime, then "N passed, N failed, N skipped" (a runtime or
// redis-server that is missing: its checks are skipped, with the reason). scripts/test.mjs
// counts them.
//   node packages/redis/test/runtimes.mjs [node,deno,bun]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisMissing, startRedis } from '../../test-server/src/redis.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const root = join(pkg, '..', '..');
const smoke = join(here, 'smoke.mjs');
const shared = join(here, 'shared.mjs');
/** What each runtime runs: the processes (started together) and the checks they make in all. */
const sessionBuilt = existsSync(join(root, 'packages', 'session', 'dist', 'index.js'));
const runs = [
  { processes: [{ script: smoke, checks: 4 }] },
  { session: true, processes: [{ script: shared, env: { ROLES: 'a,b' }, checks: 8 }] },
  {
    label: '2 processes',
    session: true,
    processes: [
      { script: shared, env: { ROLES: 'a' }, checks: 5 },
      { script: shared, env: { ROLES: 'b' }, checks: 3 },
    ],
  },
];
const checksPerRuntime = runs.flatMap((run) => run.processes).reduce((n, p) => n + p.checks, 0);
const wanted = (process.argv[2] ?? 'node,deno,bun').split(',');
const runtimes = {
  node: [process.execPath, []],
  deno: [join(root, 'node_modules', '.bin', 'deno'), ['run', '-A', '--no-lock']],
  bun: [join(root, 'node_modules', '.bin', 'bun'), []],
};
const totals = { passed: 0, failed: 0, skipped: 0 };

function skipAll(why, names = wanted) {
  for (const name of names) {
    console.log(`[redis ${name}] skip: ${why}`);
    totals.skipped += checksPerRuntime;
  }
}

if (redisMissing) skipAll(redisMissing);
else if (!existsSync(join(pkg, 'dist', 'index.js')))
  skipAll('@fetchstack/redis is not built (pnpm --filter @fetchstack/redis build)');
else {
  const redis = await startRedis();
  const origin = await startOrigin();
  try {
    for (const name of wanted) {
      const [command, pre] = runtimes[name] ?? [];
      if (!command || !existsSync(command)) {
        skipAll(`${name} is not installed (${command ?? 'unknown runtime'})`, [name]);
        continue;
      }
      for (const [n, run] of runs.entries()) {
        if (run.session && !sessionBuilt) {
          console.log(
            `[redis ${name}] skip: test/shared.mjs needs @fetchstack/session built (pnpm --filter @fetchstack/session build)`,
          );
          totals.skipped += run.processes.reduce((sum, p) => sum + p.checks, 0);
          continue;
        }
        origin.reset();
        const prefix = `rt${n}${name}${Date.now()}:`;
        const finished = await Promise.all(
          run.processes.map((p) =>
            runProcess(command, [...pre, p.script], {
              REDIS_URL: redis.url,
              ORIGIN: origin.url,
              PREFIX: prefix,
              ...p.env,
            }),
          ),
        );
        for (const [i, r] of finished.entries()) {
          const tag = run.processes.length > 1 ? `${name} ${run.label} #${i + 1}` : name;
          const expected = run.processes[i].checks;
          const out = r.stdout.trim().split('\n');
          for (const line of out.slice(0, -1)) console.log(`[redis ${tag}] ${line}`);
          const m = /^(\d+) passed, (\d+) failed$/.exec(out.at(-1) ?? '');
          if (m && Number(m[1]) + Number(m[2]) === expected) {
            totals.passed += Number(m[1]);
            totals.failed += Number(m[2]);
          } else {
            totals.failed += expected;
            console.log(
              `[redis ${tag}] FAIL exited ${r.status ?? r.signal} without a full count (${expected} checks): ${`${r.stderr}${r.stdout}`.trim().split('\n').slice(-10).join(' / ')}`,
            );
          }
        }
      }
    }
  } finally {
    await redis.stop();
    await origin.close();
  }
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);

/** Runs one test process (killed after 60 s), with this process free to serve the origin. */
function runProcess(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: pkg,
      env: { ...process.env, ...env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, signal: String(error), stdout, stderr });
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/**
 * The HTTP server of test/shared.mjs (one run at a time; reset() before each):
 *   /set?name&value[&maxAge][&path]  Set-Cookie name=value; Path=path (/ by default)
 *   /echo                            the Cookie header it received (or '')
 *   /api[?together=N]                200 'ok <token>' for the current access token (none until a
 *                                    refresh); else 401, held until N such requests came (at most
 *                                    15 s: then heldTooLong)
 *   POST /refresh                    body = the current refresh token: 200 {access, refresh}, the
 *                                    next pair; any other: 400 'reused'
 *   /stats                           {refreshes: outcomes, calls: {x-call: statuses}, heldTooLong}
 *   /barrier?name&n                  answered once n requests for name came (at most 15 s)
 */
async function startOrigin() {
  let state;
  const timers = new Set();
  const later = (ms, run) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  const unauthorized = (res) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
    res.end('expired');
  };
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (name) => url.searchParams.get(name);
    switch (url.pathname) {
      case '/set': {
        const maxAge = q('maxAge');
        const cookie = `${q('name')}=${q('value') ?? ''}; Path=${q('path') ?? '/'}${maxAge === null ? '' : `; Max-Age=${maxAge}`}`;
        res.writeHead(200, { 'set-cookie': cookie });
        res.end('set');
        return;
      }
      case '/echo':
        res.end(req.headers.cookie ?? '');
        return;
      case '/api': {
        const call = String(req.headers['x-call'] ?? '');
        const ok =
          state.access !== undefined && req.headers.authorization === `Bearer ${state.access}`;
        state.calls[call] = [...(state.calls[call] ?? []), ok ? 200 : 401];
        if (ok) {
          res.end(`ok ${state.access}`);
          return;
        }
        const together = Number(q('together') ?? 0);
        if (together <= 1) return unauthorized(res);
        const held = state.held;
        held.push(res);
        if (held.length === 1) {
          later(15_000, () => {
            if (state.held !== held) return;
            state.heldTooLong = true;
            state.held = [];
            for (const r of held) unauthorized(r);
          });
        }
        if (held.length >= together) {
          state.held = [];
          for (const r of held) unauthorized(r);
        }
        return;
      }
      case '/refresh': {
        let body = '';
        req.setEncoding('utf8').on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          if (body !== state.refreshToken) {
            state.refreshes.push('reused');
            res.writeHead(400);
            res.end('reused');
            return;
          }
          state.serial++;
          state.access = `A${state.serial}`;
          state.refreshToken = `R${state.serial}`;
          state.refreshes.push('ok');
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access: state.access, refresh: state.refreshToken }));
        });
        return;
      }
      case '/stats': {
        const { refreshes, calls, heldTooLong } = state;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ refreshes, calls, heldTooLong }));
        return;
      }
      case '/barrier': {
        const name = q('name') ?? '';
        const waiting = state.barriers.get(name) ?? [];
        state.barriers.set(name, waiting);
        waiting.push(res);
        const meet = (status) => {
          if (state.barriers.get(name) !== waiting) return;
          state.barriers.delete(name);
          for (const r of waiting) {
            r.writeHead(status);
            r.end(status === 200 ? 'met' : 'alone');
          }
        };
        if (waiting.length === 1) later(15_000, () => meet(504));
        if (waiting.length >= Number(q('n') ?? 2)) meet(200);
        return;
      }
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    reset() {
      state = {
        access: undefined,
        refreshToken: 'R0',
        serial: 0,
        refreshes: [],
        calls: {},
        held: [],
        heldTooLong: false,
        barriers: new Map(),
      };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
