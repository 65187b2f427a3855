// One row of the fleet section, in a fresh process: the full session (as the throughput
// section makes it), without a store or with a Redis store on loopback, sequential calls then
// calls at concurrency 32 against the loopback bench server. Prints one JSON line.
// argv: <row: local | store | store+limit> <base url> <redis url> <json: { warmupMs, seqMs, concMs }>
import { makeSession } from './clients.mjs';
import { percentile } from './stats.mjs';

const [row, base, redisUrl, optsJson] = process.argv.slice(2);
const opts = JSON.parse(optsJson);
const concurrency = 32;

let store;
const extra = {};
if (row !== 'local') {
  // By path: the bench package does not depend on @fetchstack/redis (a server-only package).
  const { createRedisStore } = await import('../../packages/redis/dist/index.js');
  store = createRedisStore({ url: redisUrl, prefix: `bench${process.pid}:`, onError: () => {} });
  extra.store = store;
  if (row === 'store+limit') extra.limit = { concurrency: 64 };
}
const session = await makeSession(extra);
const url = `${base}bench`;
const get = async () => {
  const res = await session(url);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  await res.text();
};
const now = () => performance.now();

async function sequential(ms) {
  const lat = [];
  const start = now();
  let t = start;
  while (t - start < ms) {
    const t0 = t;
    await get();
    t = now();
    lat.push(t - t0);
  }
  return { lat, elapsed: t - start, count: lat.length };
}

async function concurrent(ms) {
  const start = now();
  const deadline = start + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (now() < deadline) {
        await get();
        count++;
      }
    }),
  );
  return { elapsed: now() - start, count };
}

async function withCpu(phase) {
  const c0 = process.cpuUsage();
  const r = await phase();
  const c = process.cpuUsage(c0);
  r.cpuUsPerCall = (c.user + c.system) / r.count;
  return r;
}

await sequential(opts.warmupMs);
const seq = await withCpu(() => sequential(opts.seqMs));
await concurrent(opts.warmupMs / 2);
const conc = await withCpu(() => concurrent(opts.concMs));
await session.close();
await store?.close();
const sorted = seq.lat.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    row,
    seq: {
      n: seq.count,
      p50Us: percentile(sorted, 50) * 1000,
      meanUs: (seq.elapsed / seq.count) * 1000,
      cpuUsPerCall: seq.cpuUsPerCall,
    },
    conc: {
      n: conc.count,
      rps: (conc.count / conc.elapsed) * 1000,
      cpuUsPerCall: conc.cpuUsPerCall,
    },
  }),
);
