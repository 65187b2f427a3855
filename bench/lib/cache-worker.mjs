// The cache section's client, in a fresh process. argv: <calls|memory> <base url> <quick: 0|1>.
// Prints one JSON line. Run with --expose-gc.
//   calls   client CPU (process.cpuUsage: user + system; the server is another process) and wall
//           time per call, sequential, body read: the bare fetch, then through wrap(fetch, cache())
//           a fresh hit, a revalidated hit (304) and a miss; rows interleaved round by round.
//   memory  distinct URLs through wrap(fetch, cache({ store: new MemoryStore({ maxBytes: 8e6 }) }))
//           at concurrency 32; heap and RSS after gc() between batches; the store's byte count
//           after every response.
import { load } from './fetchstack.mjs';

const [mode, base, quickArg] = process.argv.slice(2);
const quick = quickArg === '1';

// bench/ does not list @fetchstack/cache as a dependency: it is loaded from the workspace's build.
async function loadCache() {
  const core = await load('@fetchstack/core', 'wrap');
  if (!core.ok) return { skip: `@fetchstack/core: ${core.reason}` };
  try {
    const mod = await import(new URL('../../packages/cache/dist/index.js', import.meta.url).href);
    if (typeof mod.cache !== 'function' || typeof mod.MemoryStore !== 'function')
      return { skip: '@fetchstack/cache: not built yet' };
    return { wrap: core.value, cache: mod.cache, MemoryStore: mod.MemoryStore };
  } catch (error) {
    return {
      skip:
        error.code === 'ERR_MODULE_NOT_FOUND'
          ? '@fetchstack/cache: not built yet'
          : `@fetchstack/cache: fails to load: ${String(error.message).split('\n')[0]}`,
    };
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function calls({ wrap, cache }) {
  const cached = wrap(fetch, cache());
  const rows = {
    'bare fetch (loopback round trip)': { fetch, url: `${base}nostore` },
    'cache: fresh hit': { fetch: cached, url: `${base}fresh` },
    'cache: revalidated hit (304)': { fetch: cached, url: `${base}stale` },
    'cache: miss (no-store)': { fetch: cached, url: `${base}nostore` },
  };
  // Each row runs for a while per round (not a count of calls: a hit is ~10× shorter than a round
  // trip, and a short stretch would mostly pay for the garbage of the row before it); gc() before
  // each stretch, outside the measurement. Median over rounds.
  const ms = quick ? 250 : 500;
  const rounds = quick ? 5 : 11;
  const warmup = quick ? 200 : 500;
  const one = async (row) => {
    const res = await row.fetch(row.url);
    await res.text();
    return res;
  };
  // Warm-up, and the Cache-Status each row really gets (a row that is not what it says is a defect).
  for (const row of Object.values(rows)) {
    for (let i = 0; i < warmup; i++) await one(row);
    const res = await one(row);
    if (res.status !== 200) throw new Error(`${row.url}: HTTP ${res.status}`);
    row.cacheStatus = res.headers.get('cache-status') ?? '(none)';
    row.cpu = [];
    row.wall = [];
    row.calls = 0;
  }
  for (let r = 0; r < rounds; r++) {
    const order = Object.values(rows);
    if (r % 2) order.reverse();
    for (const row of order) {
      globalThis.gc?.();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      do {
        for (let i = 0; i < 20; i++) await one(row);
        n += 20;
      } while (performance.now() - t0 < ms);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      row.cpu.push((cpu.user + cpu.system) / n);
      row.wall.push((wall * 1000) / n);
      row.calls += n;
    }
  }
  const result = {};
  for (const [name, row] of Object.entries(rows)) {
    result[name] = {
      cpuUs: median(row.cpu),
      cpuMin: Math.min(...row.cpu),
      cpuMax: Math.max(...row.cpu),
      wallUs: median(row.wall),
      callsPerS: 1e6 / median(row.wall),
      calls: row.calls,
      cacheStatus: row.cacheStatus,
    };
  }
  return { ms, rounds, warmup, result };
}

async function memory({ wrap, cache, MemoryStore }) {
  const maxBytes = 8e6;
  const store = new MemoryStore({ maxBytes });
  const cached = wrap(fetch, cache({ store }));
  const total = quick ? 20_000 : 100_000;
  const concurrency = 32;
  const batches = 20;
  const mb = (n) => n / 1024 / 1024;
  let maxSeen = 0;
  let stored = 0;
  let next = 0;
  async function drive(prefix, count) {
    const end = next + count;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < end) {
          const i = next++;
          const res = await cached(`${base}mem/${prefix}${i}`);
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          await res.text();
          if (/stored/.test(res.headers.get('cache-status') ?? '')) stored++;
          if (store.bytes > maxSeen) maxSeen = store.bytes;
        }
      }),
    );
  }
  const sample = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return {
      urls: next,
      heapMB: mb(m.heapUsed),
      rssMB: mb(m.rss),
      storeEntries: store.size,
      storeBytes: store.bytes,
    };
  };
  // Warm-up on other URLs (JIT, the connection pool), then an empty store and the baseline.
  await drive('warm-', 1_000);
  await store.clear();
  next = 0;
  stored = 0;
  maxSeen = 0;
  const baseline = sample();
  const samples = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let b = 0; b < batches; b++) {
    await drive('u', total / batches);
    samples.push(sample());
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  // The last URL is in the store: a second call is a hit (the store works, not just stays small).
  const again = await cached(`${base}mem/u${total - 1}`);
  await again.text();
  return {
    total,
    concurrency,
    maxBytes,
    maxEntries: store.maxEntries,
    baseline,
    samples,
    maxBytesSeen: maxSeen,
    stored,
    lastAgain: again.headers.get('cache-status'),
    seconds,
    cpuUsPerCall: (cpu.user + cpu.system) / total,
  };
}

const mods = await loadCache();
if (mods.skip) {
  console.log(JSON.stringify({ skip: mods.skip }));
} else {
  console.log(JSON.stringify(mode === 'memory' ? await memory(mods) : await calls(mods)));
}
