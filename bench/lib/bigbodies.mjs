// Section: big bodies. A large download and a large upload through the full session
// (defaults, and with retry off) against Node's global fetch and undici.request, each
// transfer in a fresh process, against a server that generates and counts bytes
// (bigbody-server.mjs). Throughput, CPU time, and how far memory rises above the
// baseline during the transfer.
import { fileURLToPath } from 'node:url';
import { runJson, startServer } from './spawn.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';
import { budgetLines } from './throughput.mjs';

const worker = fileURLToPath(new URL('./bigbody-worker.mjs', import.meta.url));
const MB = 1024 * 1024;
const ALL_CLIENTS = ['global fetch', 'undici.request', 'session', 'session (retry off)'];
const OPS = {
  download: 'download',
  'upload-stream': 'upload, ReadableStream body',
  'upload-bytes': 'upload, Uint8Array body',
  'upload-file': 'upload, a file as a Blob (fs.openAsBlob)',
  'upload-form': 'upload, FormData holding that file',
};
/**
 * "Memory flat": the peak RSS growth stays under a quarter of the full run's body
 * size: 64 MB for the download, 16 MB for the upload. The same absolute limits in
 * --quick (smaller bodies), where a fixed cost of the runtime weighs more.
 */
const FULL = { download: 256 * MB, upload: 64 * MB };
const FLAT_MB = { download: FULL.download / 4 / MB, upload: FULL.upload / 4 / MB };
const flatLimit = (op) => (op === 'download' ? FLAT_MB.download : FLAT_MB.upload);
/**
 * What a client may hold during a transfer: the flat limit, plus, for a body of bytes, the one
 * copy of it that fetch's contract makes when it is called (a change the caller makes to the
 * bytes afterwards must change nothing that is sent; global fetch makes that copy too).
 */
const allowedMB = (op, bytes) => flatLimit(op) + (op === 'upload-bytes' ? bytes / MB : 0);

export async function bigbodies({ quick, log }) {
  const sizes = quick ? { download: 16 * MB, upload: 8 * MB } : FULL;
  const rounds = quick ? 1 : 3;
  const sizeOf = (op) => (op === 'download' ? sizes.download : sizes.upload);
  // --quick: the pair the budget compares, and the smaller bodies.
  const CLIENTS = quick ? ['global fetch', 'session'] : ALL_CLIENTS;
  const server = await startServer({ script: 'bigbody-server.mjs' });
  const runs = new Map();
  const skips = new Map();
  const key = (client, op) => `${client}|${op}`;
  const replay = {};
  const probes = new Map();
  /** One transfer in a fresh worker process (`mode`: the worker's, "time" when left out). */
  const transfer = (client, op, ...mode) =>
    runJson(['--expose-gc', worker, client, op, server.base, String(sizeOf(op)), ...mode]);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const op of Object.keys(OPS)) {
        const order = (round + Object.keys(OPS).indexOf(op)) % 2 ? [...CLIENTS].reverse() : CLIENTS;
        for (const client of order) {
          const k = key(client, op);
          if (skips.has(k)) continue;
          log(`big bodies round ${round + 1}/${rounds}: ${client} ${op}`);
          try {
            const r = await transfer(client, op);
            if (r.skip) skips.set(k, r.skip);
            else if (!r.complete) skips.set(k, `incomplete: ${r.bytes} of ${sizeOf(op)} bytes`);
            else (runs.get(k) ?? runs.set(k, []).get(k)).push(r);
          } catch (error) {
            skips.set(k, `failed: ${error.message.slice(0, 200)}`);
          }
        }
      }
    }
    // The probe, once per client and transfer in each round, each in its own process: live memory
    // with gc() every 2 MB; the median of the rounds, as for every other figure (--quick: the full
    // session's only).
    for (let round = 0; round < rounds; round++) {
      for (const op of Object.keys(OPS)) {
        for (const client of quick ? ['session'] : CLIENTS) {
          const k = key(client, op);
          if (skips.has(k)) continue;
          log(`big bodies probe ${round + 1}/${rounds} (gc every 2 MB): ${client} ${op}`);
          try {
            const r = await transfer(client, op, 'probe');
            if (r.complete) (probes.get(k) ?? probes.set(k, []).get(k)).push(r);
          } catch {}
        }
      }
    }
    // The replay check: the server answers the first try 503 (Retry-After: 0), so the
    // session's retry must send the upload again, which it can only do from a copy.
    for (const op of ['upload-stream', 'upload-bytes', 'upload-file']) {
      log(`big bodies: replay check, session ${op}`);
      try {
        replay[op] = await runJson([
          '--expose-gc',
          worker,
          'session',
          op,
          server.base,
          String(sizes.upload),
          'fail',
        ]);
      } catch (error) {
        replay[op] = { skip: `failed: ${error.message.slice(0, 200)}` };
      }
    }
  } finally {
    await server.stop();
  }

  const rows = {};
  for (const op of Object.keys(OPS)) {
    for (const client of CLIENTS) {
      const k = key(client, op);
      const r = runs.get(k);
      if (!r?.length) {
        rows[k] = { client, op, status: skips.get(k) ?? 'no result' };
        continue;
      }
      const pick = (f) => median(r.map((x) => x[f]));
      rows[k] = {
        client,
        op,
        bytes: sizeOf(op),
        mbPerS: pick('mbPerS'),
        cpuSeconds: pick('cpuSeconds'),
        rssGrowthMB: pick('rssGrowthMB'),
        maxRssGrowthMB: pick('maxRssGrowthMB'),
        heapGrowthMB: pick('heapGrowthMB'),
        buffersGrowthMB: pick('buffersGrowthMB'),
        retainedMB: probeMedian(probes.get(k), 'retainedMB'),
        heldAfterMB: probeMedian(probes.get(k), 'heldAfterMB'),
        worstMaxRssGrowthMB: Math.max(...r.map((x) => x.maxRssGrowthMB)),
        chunked: r[0].chunked,
        rounds: r,
      };
    }
    const native = rows[key('global fetch', op)];
    for (const client of CLIENTS) {
      const row = rows[key(client, op)];
      if (!row.mbPerS) continue;
      row.vsFetch = ratio(row.mbPerS, native?.mbPerS);
      row.cpuVsFetch = ratio(row.cpuSeconds, native?.cpuSeconds);
      row.peakGrowthMB = Math.max(row.rssGrowthMB, row.maxRssGrowthMB);
      row.flat = row.peakGrowthMB < allowedMB(op, row.bytes);
      row.holdsNoBody = row.retainedMB < allowedMB(op, row.bytes);
      row.growthVsFetch = ratio(row.peakGrowthMB, native?.peakGrowthMB);
    }
  }

  const head = [
    'client',
    'transfer',
    'MB/s',
    '÷ global fetch',
    'CPU s',
    'CPU ms per MB',
    'CPU ÷ global fetch',
    'peak RSS growth MB (sampled)',
    'peak RSS growth MB (kernel maxRSS)',
    'peak heap growth MB',
    'peak external growth MB',
    'RSS growth ÷ global fetch',
    `flat? (RSS growth < ${FLAT_MB.download} MB down, < ${FLAT_MB.upload} MB up)`,
    'live memory growth MB (gc every 2 MB / 25 ms)',
    'holds no body? (live growth under the same limits)',
    'live memory still held after the response, MB',
  ];
  const body = Object.values(rows).map((r) => {
    const what = `${OPS[r.op]}, ${fmt(sizeOf(r.op) / MB, 0)} MB${r.chunked ? ' (sent chunked)' : ''}`;
    if (r.status) return [r.client, what, r.status, ...Array(head.length - 3).fill('')];
    return [
      r.client,
      what,
      fmt(r.mbPerS, 0),
      fmtRatio(r.vsFetch),
      fmt(r.cpuSeconds, 2),
      fmt((r.cpuSeconds * 1000) / (r.bytes / MB), 2),
      fmtRatio(r.cpuVsFetch),
      fmt(r.rssGrowthMB, 1),
      fmt(r.maxRssGrowthMB, 1),
      fmt(r.heapGrowthMB, 1),
      fmt(r.buffersGrowthMB, 1),
      fmtRatio(r.growthVsFetch),
      r.flat ? 'yes' : 'no',
      fmt(r.retainedMB, 1),
      r.retainedMB === undefined ? '–' : r.holdsNoBody ? 'yes' : 'no',
      fmt(r.heldAfterMB, 1),
    ];
  });

  const budgets = [];
  for (const client of ['session', 'session (retry off)']) {
    if (!CLIENTS.includes(client)) continue;
    for (const op of Object.keys(OPS)) {
      const r = rows[key(client, op)];
      const limit =
        op === 'upload-bytes'
          ? `holds no body beyond the one copy fetch makes of bytes (live memory growth < the body's size + ${flatLimit(op)} MB)`
          : `holds no body (live memory growth < ${flatLimit(op)} MB)`;
      const name = `big bodies: ${client === 'session' ? 'full session' : 'session, retry off'}, ${OPS[op]}: ≥ 0.9× global fetch's MB/s, ${limit}`;
      if (r.status) {
        budgets.push({ name, status: r.status, met: null });
        continue;
      }
      const fast = r.vsFetch >= 0.9;
      const met = fast && r.holdsNoBody;
      budgets.push({
        name,
        value: r.vsFetch,
        met,
        status: met ? 'met' : 'MISSED',
        display: `${fmtRatio(r.vsFetch)}, live +${fmt(r.retainedMB, 1)} MB, peak RSS +${fmt(r.peakGrowthMB, 1)} MB (global fetch +${fmt(rows[key('global fetch', op)]?.peakGrowthMB, 1)} MB), for a ${fmt(r.bytes / MB, 0)} MB body`,
      });
    }
  }

  const replayLines = Object.entries(replay).map(([op, r]) => {
    if (r.skip) return `- ${OPS[op]}: ${r.skip}`;
    const outcome =
      r.status === 503
        ? `the session returned the 503 after 1 try: the body was not replayed (the server saw try ${r.tries}, ${fmt(r.bytes / MB, 1)} MB)`
        : `the session retried and the server's try ${r.tries} got ${fmt(r.bytes / MB, 1)} MB${r.bytes === sizes.upload ? ' (the whole body)' : ''}, status ${r.status}`;
    return `- ${OPS[op]}, ${fmt(sizes.upload / MB, 0)} MB, first try answered 503: ${outcome}; peak RSS growth ${fmt(Math.max(r.rssGrowthMB, r.maxRssGrowthMB), 1)} MB.`;
  });

  const markdown = [
    `One transfer per fresh process (\`--expose-gc\`), ${rounds} round(s) alternating the order of clients, median of rounds: ` +
      `a GET of ${fmt(sizes.download / MB, 0)} MB and a PUT of ${fmt(sizes.upload / MB, 0)} MB against a server in its own process that generates the bytes ` +
      '(one 64 KiB random block written again and again with backpressure) and counts what it receives; it holds no body in memory. ' +
      'Each client reads the download chunk by chunk and keeps nothing; the stream upload is generated 64 KiB at a time; the Uint8Array ' +
      "upload is filled before the baseline, so its own pages are not counted; the file uploads send a file of the upload's size on disk, opened with `fs.openAsBlob()` " +
      '(its bytes stay in the file until read), as a Blob body and as the one file of a FormData (the server counts the multipart bytes). Before the measured transfer each process makes a 1 MB one ' +
      '(modules, connection, JIT), then `gc()`: that is the baseline. Memory is sampled every 1 MB of chunks and every 5 ms during the transfer (RSS, V8 heap used, ' +
      "`external` = Buffers and ArrayBuffers, freed or not) and the kernel's own peak RSS (`maxRSS`) is read after it. " +
      `Then, in another fresh process per ${quick ? 'transfer of the full session (--quick: no other client)' : 'client and transfer'} in each round (the median of the rounds), the same transfer ` +
      'with `gc()` every 2 MB of chunks (read, or generated for the stream upload) and every 25 ms, reading the live memory (heap used + external) ' +
      'right after each collection: garbage not yet collected (which the RSS figures count: V8 collects Buffers only once ~64 MB of them ' +
      'have piled up) is left out, a body held in memory is not ("live memory growth"; "held after the response": what is still live after the transfer ended and a last `gc()`). ' +
      `1 MB = 2^20 bytes. "Flat" = the peak RSS growth (the larger of the two) stays under a quarter of the full run's body: ` +
      `${FLAT_MB.download} MB for the download, ${FLAT_MB.upload} MB for the upload (the same limits in --quick); a client that held the whole body would grow by at least its size. ` +
      "The Uint8Array upload may add one copy of its body: fetch's contract is that a change the caller makes to the bytes after the call changes nothing that is sent, so fetch (and the session) copies them when called. " +
      '"session" = `createSession()` with its defaults (cookies, redirect, retry with the 4 MiB replay cap `maxBufferSize`, 30 s timeout) and the two default headers of the other sections; ' +
      'PUT is idempotent, so the retry layer is in play for the uploads; "session (retry off)" = `createSession({ retry: false })`.',
    '',
    table(head, body),
    '',
    'Replay check (session with retry on; the server answers the first try of each upload 503 with `Retry-After: 0`, after reading its body):',
    '',
    ...replayLines,
    '',
    budgetLines(budgets),
  ].join('\n');
  return {
    title: 'Big bodies',
    markdown,
    data: { sizes, rounds, flatMB: FLAT_MB, rows, replay, budgets },
  };
}

/** The median of one figure over a transfer's probes (`undefined` when none completed). */
function probeMedian(list, name) {
  return list?.length ? median(list.map((r) => r[name])) : undefined;
}
