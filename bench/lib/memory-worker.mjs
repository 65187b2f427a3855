// Section 3: memory over many requests through one client, in a fresh process run
// with --expose-gc. argv: <client: session|fetch> <base url> <requests> <concurrency>.
// Prints one JSON line, then does NOT call process.exit: the parent times how
// long the process takes to exit by itself (a leaked timer or socket keeps it up).
import { makeSession } from './clients.mjs';

const [who, base, countArg, concArg] = process.argv.slice(2);
const total = Number(countArg);
const concurrency = Number(concArg);
const step = Math.max(1_000, Math.round(total / 10));
const mb = (n) => n / 1024 / 1024;

// Open stdout/stderr now (they are lazy), so their pipes count as there before the client.
void process.stdout;
void process.stderr;
const before = process.getActiveResourcesInfo();
let fetch;
let close = async () => {};
let cookieCheck = async () => undefined;
try {
  if (who === 'session') {
    const session = await makeSession();
    fetch = session;
    close = async () => session.close?.();
    // "Cookies on" must be true, not assumed: the jar must hold the last `sid`.
    cookieCheck = async () => {
      if (typeof session.cookies?.get !== 'function') return 'session has no cookies API';
      const c = await session.cookies.get('sid', base);
      return c ? `jar holds sid=${c.value}` : 'jar holds no sid: cookies not stored';
    };
  } else {
    fetch = globalThis.fetch;
  }
} catch (error) {
  if (error.notBuilt) {
    console.log(JSON.stringify({ skip: error.message }));
    process.exit(0);
  }
  throw error;
}

// Cookies on: every response sets `sid`, replaced each time, so a correct jar stays at one cookie.
let sent = 0;
async function drive(n) {
  const target = sent + n;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < target) {
        const i = sent++;
        const res = await fetch(`${base}mem?cookie=${i % 100}`);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        await res.text();
      }
    }),
  );
}

function sample() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { requests: sent, heapMB: mb(m.heapUsed), rssMB: mb(m.rss), externalMB: mb(m.external) };
}

await drive(Math.min(2_000, step)); // warm-up: JIT, pool, jar
sent = 0;
const samples = [sample()];
const t0 = performance.now();
while (sent < total) {
  await drive(Math.min(step, total - sent));
  samples.push(sample());
}
const seconds = (performance.now() - t0) / 1000;
const cookies = await cookieCheck();
await close();
await new Promise((r) => setImmediate(r));
await new Promise((r) => setTimeout(r, 50));

const after = process.getActiveResourcesInfo();
const left = [...after];
for (const name of before) {
  const i = left.indexOf(name);
  if (i !== -1) left.splice(i, 1);
}
console.log(JSON.stringify({ samples, seconds, rps: total / seconds, cookies, openHandles: left }));
