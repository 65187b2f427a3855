// Section 9: the HTTP cache (@fetchstack/cache). What a call costs the client through
// wrap(fetch, cache()) beside the bare fetch on loopback (a fresh hit, a revalidated hit, a miss),
// and MemoryStore's memory over many distinct URLs. The server (cache-server.mjs) and each client
// (cache-worker.mjs) run in their own processes.
import { fileURLToPath } from 'node:url';
import { runJson, startServer } from './spawn.mjs';
import { fmt, fmtRatio, slope, table } from './stats.mjs';
import { budget, budgetLines } from './throughput.mjs';

const worker = fileURLToPath(new URL('./cache-worker.mjs', import.meta.url));
const BARE = 'bare fetch (loopback round trip)';
const HIT = 'cache: fresh hit';

export async function cacheSection({ quick, log }) {
  const server = await startServer({ script: 'cache-server.mjs' });
  let calls;
  let mem;
  try {
    log('cache: CPU per call, bare fetch and through the cache');
    calls = await runJson(['--expose-gc', worker, 'calls', server.base, quick ? '1' : '0'], {
      timeoutMs: 300_000,
    }).catch((error) => ({ skip: `failed: ${error.message.slice(0, 200)}` }));
    log(`cache: MemoryStore over ${quick ? '20,000' : '100,000'} distinct URLs`);
    mem = await runJson(['--expose-gc', worker, 'memory', server.base, quick ? '1' : '0'], {
      timeoutMs: 600_000,
    }).catch((error) => ({ skip: `failed: ${error.message.slice(0, 200)}` }));
  } finally {
    await server.stop();
  }

  const budgets = [];
  const parts = [];
  if (calls.skip) {
    parts.push(`Cost per call: ${calls.skip}.`);
    budgets.push(
      budget(
        'cache: a fresh hit ≥ 20× cheaper in client CPU than a loopback round trip',
        undefined,
        20,
        calls.skip,
      ),
    );
  } else {
    const r = calls.result;
    const bare = r[BARE];
    const hitRatio = bare.cpuUs / r[HIT].cpuUs;
    calls.hitRatio = hitRatio;
    parts.push(
      `Sequential calls from a fresh client process to a keep-alive server on 127.0.0.1 in its own process (a 27-byte JSON body, read in full every call); ` +
        `${calls.rounds} rounds; in each, every row calls for ${calls.ms} ms after a \`gc()\` (outside the measurement), rows interleaved (order reversed every other round), after ${calls.warmup} warm-up calls each; median of rounds. ` +
        '"client CPU µs/call" = the client process\'s CPU time (user + system) per call, the figure to read on a shared machine; calls/s from wall time beside it. ' +
        'The cache rows go through `wrap(fetch, cache())` (a `MemoryStore` with its defaults): the fresh hit asks for a URL answered `max-age=600` (never sent again), ' +
        'the revalidated hit one answered `max-age=0` with an ETag (every call sends `If-None-Match` and gets `304`), the miss one answered `no-store`. ' +
        'The last column is the `Cache-Status` each row got.',
      '',
      table(
        [
          'call',
          'client CPU µs/call',
          'range over rounds',
          'calls/s',
          'CPU ÷ bare fetch',
          'Cache-Status',
        ],
        Object.entries(r).map(([name, x]) => [
          name,
          fmt(x.cpuUs, 1),
          `${fmt(x.cpuMin, 0)}–${fmt(x.cpuMax, 0)}`,
          fmt(x.callsPerS, 0),
          fmtRatio(x.cpuUs / bare.cpuUs),
          `\`${x.cacheStatus}\``,
        ]),
      ),
      '',
      `A fresh hit costs ${fmt(r[HIT].cpuUs, 1)} µs of client CPU, a loopback round trip through the bare fetch ${fmt(bare.cpuUs, 1)} µs: the hit is **${hitRatio.toFixed(1)}×** cheaper.`,
    );
    budgets.push({
      ...budget(
        'cache: a fresh hit ≥ 20× cheaper in client CPU than a loopback round trip',
        hitRatio,
        20,
      ),
      display: `${hitRatio.toFixed(1)}×: ${fmt(r[HIT].cpuUs, 1)} µs against ${fmt(bare.cpuUs, 1)} µs`,
    });
  }

  if (mem.skip) {
    parts.push('', `MemoryStore: ${mem.skip}.`);
    budgets.push(budget('cache: MemoryStore within maxBytes, memory flat', undefined, 0, mem.skip));
  } else {
    const s = mem.samples;
    // Memory is judged once the store is full (it grows to maxBytes by design first), and from
    // 20% of the run on (the first stretch is warm-up).
    const fullAt = s.findIndex((x) => x.storeBytes >= 0.99 * mem.maxBytes);
    const fit = s.slice(Math.max(fullAt, Math.floor(s.length / 5)));
    const xs = fit.map((x) => x.urls / 10_000);
    mem.heapSlopeMBPer10k = slope(
      xs,
      fit.map((x) => x.heapMB),
    );
    mem.rssSlopeMBPer10k = slope(
      xs,
      fit.map((x) => x.rssMB),
    );
    mem.peakHeapGrowthMB = Math.max(...s.map((x) => x.heapMB)) - mem.baseline.heapMB;
    mem.peakRssGrowthMB = Math.max(...s.map((x) => x.rssMB)) - mem.baseline.rssMB;
    mem.fullAtUrls = fullAt === -1 ? undefined : s[fullAt].urls;
    const last = s.at(-1);
    const within = mem.maxBytesSeen <= mem.maxBytes;
    const picks = [
      0,
      ...[0.25, 0.5, 0.75].map((f) => Math.round(f * (s.length - 1))),
      s.length - 1,
    ];
    parts.push(
      '',
      `**MemoryStore over ${mem.total.toLocaleString('en-US')} distinct URLs**: \`wrap(fetch, cache({ store: new MemoryStore({ maxBytes: 8e6 }) }))\` (maxEntries left at ${mem.maxEntries.toLocaleString('en-US')}), ` +
        `GETs at concurrency ${mem.concurrency} to distinct URLs answered \`max-age=3600\` with a 512-byte body (each stored: ${mem.stored.toLocaleString('en-US')} responses said \`stored\`), in ${s.length} batches, after 1,000 warm-up calls on other URLs and \`store.clear()\`. ` +
        `Heap and RSS after \`gc()\` between batches; the store's \`bytes\` read after every response. ` +
        `${mem.seconds.toFixed(1)} s, ${fmt(mem.total / mem.seconds, 0)} calls/s, client CPU ${fmt(mem.cpuUsPerCall, 0)} µs per call (a miss and a store each).`,
      '',
      table(
        ['URLs', 'heap MB', 'RSS MB', 'store entries', 'store bytes'],
        [
          ['0 (baseline)', fmt(mem.baseline.heapMB, 1), fmt(mem.baseline.rssMB, 0), '0', '0'],
          ...picks.map((i) => [
            s[i].urls.toLocaleString('en-US'),
            fmt(s[i].heapMB, 1),
            fmt(s[i].rssMB, 0),
            s[i].storeEntries.toLocaleString('en-US'),
            s[i].storeBytes.toLocaleString('en-US'),
          ]),
        ],
      ),
      '',
      `The store was full (≥ 99% of maxBytes) at ${mem.fullAtUrls?.toLocaleString('en-US') ?? '–'} URLs; from then on (${fit.length} samples) heap ${mem.heapSlopeMBPer10k.toFixed(3)} MB and RSS ${mem.rssSlopeMBPer10k.toFixed(3)} MB per 10k URLs. ` +
        `Peak growth over the baseline: heap +${mem.peakHeapGrowthMB.toFixed(1)} MB, RSS +${mem.peakRssGrowthMB.toFixed(1)} MB (the store's ${(mem.maxBytes / 1e6).toFixed(0)} MB, as \`MemoryStore\` counts it, included). ` +
        `Largest byte count seen after any response: ${mem.maxBytesSeen.toLocaleString('en-US')} (maxBytes ${mem.maxBytes.toLocaleString('en-US')}); at the end ${last.storeEntries.toLocaleString('en-US')} entries, ${last.storeBytes.toLocaleString('en-US')} bytes. ` +
        `The last URL asked again: \`${mem.lastAgain}\`.`,
    );
    budgets.push({
      name: `cache: MemoryStore byte count ≤ maxBytes after every one of ${mem.total.toLocaleString('en-US')} distinct URLs`,
      met: within,
      status: within ? 'met' : 'MISSED',
      display: `largest ${mem.maxBytesSeen.toLocaleString('en-US')} of ${mem.maxBytes.toLocaleString('en-US')}`,
    });
    budgets.push({
      ...budget(
        'cache: MemoryStore memory flat once full (heap slope < 0.5 MB per 10k URLs)',
        mem.heapSlopeMBPer10k,
        0.5,
        undefined,
        { atMost: true },
      ),
      display: `${mem.heapSlopeMBPer10k.toFixed(3)} MB/10k`,
    });
  }
  parts.push('', budgetLines(budgets));
  return { title: 'HTTP cache', markdown: parts.join('\n'), data: { calls, memory: mem, budgets } };
}
