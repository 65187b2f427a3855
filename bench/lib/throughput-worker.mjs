// One client, in a fresh process: sequential then concurrent requests against
// the loopback server for a fixed time each. Prints one JSON line.
// argv: <client id> <base url> <json: { warmupMs, seqMs, steadyWarmupMs, concMs, concurrency }>
import { CLIENTS } from './clients.mjs';
import { percentile } from './stats.mjs';

const [id, base, optsJson] = process.argv.slice(2);
const opts = JSON.parse(optsJson);
const def = CLIENTS.find((c) => c.id === id);
if (!def) throw new Error(`unknown client ${id}`);

let client;
try {
  client = await def.make(base);
} catch (error) {
  if (error.notBuilt) {
    console.log(JSON.stringify({ skip: error.message }));
    process.exit(0);
  }
  throw error;
}

const url = `${base}bench`;
const now = () => performance.now();

async function sequential(ms, record) {
  const lat = [];
  const start = now();
  let t = start;
  while (t - start < ms) {
    const t0 = t;
    await client.get(url);
    t = now();
    if (record) lat.push(t - t0);
  }
  return { lat, elapsed: t - start };
}

async function concurrent(ms, n, record) {
  const lat = [];
  const start = now();
  const deadline = start + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (now() < deadline) {
        const t0 = now();
        await client.get(url);
        count++;
        if (record) lat.push(now() - t0);
      }
    }),
  );
  return { lat, elapsed: now() - start, count };
}

function summary(lat, elapsed, cpuUs, count = lat.length) {
  const sorted = lat.sort((a, b) => a - b);
  return {
    n: count,
    cpuUsPerReq: cpuUs / count,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    rps: (count / elapsed) * 1000,
  };
}

/** Runs a phase and adds this process's CPU time (user + system) per request to its result. */
async function withCpu(phase) {
  const c0 = process.cpuUsage();
  const r = await phase();
  const c = process.cpuUsage(c0);
  r.cpuUs = c.user + c.system;
  return r;
}

// Warm-up mode: sequential requests from the first one on, counted per window of `windowMs`, with
// the process's CPU time per request in each window: how fast a fresh process gets up to speed.
if (opts.windows) {
  const windows = [];
  for (let w = 0; w < opts.windows; w++) {
    const c0 = process.cpuUsage();
    const start = now();
    let count = 0;
    while (now() - start < opts.windowMs) {
      await client.get(url);
      count++;
    }
    const c = process.cpuUsage(c0);
    const elapsed = now() - start;
    windows.push({ rps: (count / elapsed) * 1000, cpuUsPerReq: (c.user + c.system) / count });
  }
  await client.close();
  console.log(JSON.stringify({ windows }));
  process.exit(0);
}

// Sequential twice in one process: first while Node is still compiling the client's hot code (a
// short-lived process), then, after more unmeasured requests, in steady state.
await sequential(opts.warmupMs, false);
const seqFirst = await withCpu(() => sequential(opts.seqMs, true));
await sequential(opts.steadyWarmupMs, false);
const seq = await withCpu(() => sequential(opts.seqMs, true));
await concurrent(opts.warmupMs / 2, opts.concurrency, false);
const conc = await withCpu(() => concurrent(opts.concMs, opts.concurrency, true));
await client.close();

console.log(
  JSON.stringify({
    seq: summary(seq.lat, seq.elapsed, seq.cpuUs),
    seqFirst: summary(seqFirst.lat, seqFirst.elapsed, seqFirst.cpuUs),
    conc: summary(conc.lat, conc.elapsed, conc.cpuUs, conc.count),
  }),
);
// Keep-alive sockets of some clients keep the loop alive; the figures are out.
process.exit(0);
