#!/usr/bin/env node
// Soak test (issue 9; not part of `npm test`): N requests through ONE session at a fixed
// concurrency against the project's test server (run in a child process, so the figures
// are the client's), with faults mixed in: a share of requests whose first try is a
// connection reset, and a share whose first try is a 503 with `Retry-After: 0`. Both are
// retried by the session; everything else is a plain 200.
//
//   node scripts/soak.mjs [--requests 100000] [--concurrency 32] [--resets 0.05] [--unavailable 0.05]
//
// Prints: requests completed and their statuses, errors by name, retries, heap and RSS at
// start, middle and end, and the handles still open once the session is closed.
// The session's backoff is 10 ms (the default 500 ms would make the run mostly waiting).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createSession } = await import(
  pathToFileURL(join(root, 'packages/session/dist/index.js')).href
);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const total = arg('requests', 100_000);
const concurrency = arg('concurrency', 32);
const resetShare = arg('resets', 0.05);
const unavailableShare = arg('unavailable', 0.05);

// The test server in its own process: it prints its ServerInfo as one JSON line.
const serverSource = `
  import { startServers } from ${JSON.stringify(pathToFileURL(join(root, 'packages/test-server/src/index.js')).href)};
  const s = await startServers();
  console.log(JSON.stringify(s.info));
  process.on('SIGTERM', async () => { await s.close(); process.exit(0); });
`;
const child = spawn(process.execPath, ['--input-type=module', '-e', serverSource], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise((resolve, reject) => {
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buffer += d;
    const nl = buffer.indexOf('\n');
    if (nl !== -1) resolve(JSON.parse(buffer.slice(0, nl)));
  });
  child.once('exit', (code) => reject(new Error(`test server exited (${code})`)));
});

// What is open before the run (this process's own stdio pipes, say): not counted as leaks.
const baseline = process.getActiveResourcesInfo();
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
function memory(label) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { label, heapUsed: mb(m.heapUsed), rss: mb(m.rss) };
}

let retries = 0;
// --plain: the platform's fetch instead of the session (a baseline for the figures).
const plain = process.argv.includes('--plain');
const session = plain
  ? Object.assign((u) => fetch(u), { close: async () => {} })
  : createSession({
      proxy: false,
      retry: { limit: 2, backoff: { initial: 10, max: 10, jitter: false } },
      hooks: { beforeRetry: () => void retries++ },
    });

const statuses = new Map();
const errors = new Map();
const samples = [memory('start')];
let next = 0;
let done = 0;
const started = Date.now();

function urlFor(i) {
  const r = ((i * 2654435761) % 1000) / 1000; // a fixed, even spread of faults over the run
  if (r < resetShare) return `${info.http}/flaky?id=soak-r${i}&fail=1&mode=reset`;
  if (r < resetShare + unavailableShare)
    return `${info.http}/flaky?id=soak-u${i}&fail=1&status=503&retryAfter=0`;
  return `${info.http}/echo/soak?i=${i}`;
}

async function worker() {
  while (next < total) {
    const i = next++;
    try {
      const res = await session(urlFor(i));
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    } catch (error) {
      const name = error?.name ?? typeof error;
      errors.set(name, (errors.get(name) ?? 0) + 1);
    }
    done++;
    if (done === Math.floor(total / 2)) samples.push(memory('middle'));
    if (done % 10_000 === 0) {
      const m = process.memoryUsage();
      const errs = JSON.stringify(Object.fromEntries(errors));
      process.stderr.write(
        `  ${done} / ${total} (${((Date.now() - started) / 1000).toFixed(0)} s) heap ${mb(m.heapUsed)} rss ${mb(m.rss)} errors ${errs} retries ${retries}\n`,
      );
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (Date.now() - started) / 1000;
samples.push(memory('end'));
await session.close();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
child.stdout.destroy();
// Give closed sockets one turn to be released before counting what is left.
await new Promise((resolve) => setTimeout(resolve, 100));
const handles = process.getActiveResourcesInfo();
for (const r of baseline) {
  const at = handles.indexOf(r);
  if (at !== -1) handles.splice(at, 1);
}

const report = {
  node: process.version,
  client: plain ? 'plain fetch (baseline)' : 'one session',
  requests: total,
  concurrency,
  faults: { resetFirstTry: resetShare, unavailableFirstTry: unavailableShare },
  completed: [...statuses.values()].reduce((a, b) => a + b, 0),
  statuses: Object.fromEntries(statuses),
  errors: Object.fromEntries(errors),
  retries,
  seconds,
  requestsPerSecond: Math.round(total / seconds),
  memory: samples,
  openHandlesAfterClose: handles,
};
console.log(JSON.stringify(report, null, 2));
// Exit on our own: a leaked handle would keep the process alive; report it, then end.
process.exit(handles.length === 0 ? 0 : 1);
