// Section 1: loopback throughput and latency, every client in its own fresh process,
// rounds alternating the order of clients, the median of the rounds reported.
import { fileURLToPath } from 'node:url';
import { CLIENTS as ALL_CLIENTS } from './clients.mjs';
import { runJson } from './spawn.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';

const worker = fileURLToPath(new URL('./throughput-worker.mjs', import.meta.url));

export async function throughput({ base, quick, log, clients: filter }) {
  const opts = quick
    ? { warmupMs: 100, seqMs: 250, steadyWarmupMs: 250, concMs: 250, concurrency: 32, rounds: 1 }
    : {
        warmupMs: 400,
        seqMs: 1000,
        steadyWarmupMs: 1600,
        concMs: 1000,
        concurrency: 32,
        // Five: one client's steady req/s moved by up to a quarter between fresh processes of one
        // run (three rounds once gave the session 3,720, 3,791 and 4,876 req/s).
        rounds: 5,
      };
  // --clients=a,b keeps the rows whose name contains one of the parts (plus the two reference rows).
  const CLIENTS = filter
    ? ALL_CLIENTS.filter(
        (c) =>
          ['global fetch', 'undici.request'].includes(c.id) || filter.some((f) => c.id.includes(f)),
      )
    : ALL_CLIENTS;
  const runs = new Map(CLIENTS.map((c) => [c.id, []]));
  const skips = new Map();
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 ? [...CLIENTS].reverse() : CLIENTS;
    for (const client of order) {
      if (skips.has(client.id)) continue;
      log(`throughput round ${round + 1}/${opts.rounds}: ${client.id}`);
      try {
        const result = await runJson([worker, client.id, base, JSON.stringify(opts)]);
        if (result.skip) skips.set(client.id, result.skip);
        else runs.get(client.id).push(result);
      } catch (error) {
        skips.set(client.id, `failed: ${error.message.slice(0, 200)}`);
      }
    }
  }

  const rows = {};
  for (const client of CLIENTS) {
    const r = runs.get(client.id);
    if (skips.has(client.id) || r.length === 0) {
      rows[client.id] = { status: skips.get(client.id) ?? 'no result', note: client.note };
      continue;
    }
    const pick = (phase, key) => median(r.map((x) => x[phase][key]));
    rows[client.id] = {
      note: client.note,
      seqFirst: { rps: pick('seqFirst', 'rps'), cpuUsPerReq: pick('seqFirst', 'cpuUsPerReq') },
      seq: {
        p50: pick('seq', 'p50'),
        p99: pick('seq', 'p99'),
        rps: pick('seq', 'rps'),
        n: pick('seq', 'n'),
        cpuUsPerReq: pick('seq', 'cpuUsPerReq'),
      },
      conc: {
        p50: pick('conc', 'p50'),
        p99: pick('conc', 'p99'),
        rps: pick('conc', 'rps'),
        n: pick('conc', 'n'),
        cpuUsPerReq: pick('conc', 'cpuUsPerReq'),
      },
      rounds: r,
    };
  }
  const fetchRow = rows['global fetch'];
  const undiciRow = rows['undici.request'];
  for (const row of Object.values(rows)) {
    if (!row.seq) continue;
    row.ratios = {
      seqVsFetch: ratio(row.seq.rps, fetchRow?.seq?.rps),
      seqVsUndici: ratio(row.seq.rps, undiciRow?.seq?.rps),
      seqFirstVsFetch: ratio(row.seqFirst.rps, fetchRow?.seqFirst?.rps),
      concVsFetch: ratio(row.conc.rps, fetchRow?.conc?.rps),
      concVsUndici: ratio(row.conc.rps, undiciRow?.conc?.rps),
      concCpuVsFetch: ratio(row.conc.cpuUsPerReq, fetchRow?.conc?.cpuUsPerReq),
    };
  }

  const head = [
    'client',
    'seq p50 ms',
    'seq p99 ms',
    'seq req/s',
    'client CPU µs/req seq',
    '÷ fetch',
    '÷ undici.request',
    'first s: seq req/s (CPU µs/req)',
    '÷ fetch',
    `c${opts.concurrency} p50 ms`,
    `c${opts.concurrency} p99 ms`,
    `c${opts.concurrency} req/s`,
    `client CPU µs/req c${opts.concurrency}`,
    '÷ fetch',
    '÷ undici.request',
    `CPU ÷ fetch (c${opts.concurrency})`,
  ];
  const body = CLIENTS.map((c) => {
    const row = rows[c.id];
    if (!row.seq) return [c.id, row.status, ...Array(head.length - 2).fill('')];
    return [
      c.id,
      fmt(row.seq.p50),
      fmt(row.seq.p99),
      fmt(row.seq.rps, 0),
      fmt(row.seq.cpuUsPerReq, 0),
      fmtRatio(row.ratios.seqVsFetch),
      fmtRatio(row.ratios.seqVsUndici),
      `${fmt(row.seqFirst.rps, 0)} (${fmt(row.seqFirst.cpuUsPerReq, 0)})`,
      fmtRatio(row.ratios.seqFirstVsFetch),
      fmt(row.conc.p50),
      fmt(row.conc.p99),
      fmt(row.conc.rps, 0),
      fmt(row.conc.cpuUsPerReq, 0),
      fmtRatio(row.ratios.concVsFetch),
      fmtRatio(row.ratios.concVsUndici),
      fmtRatio(row.ratios.concCpuVsFetch),
    ];
  });

  const session = rows['fetchstack session'];
  const budgets = [
    budget(
      'full session ≥ 1.5× global fetch req/s at concurrency 32',
      session?.ratios?.concVsFetch,
      1.5,
      session?.status,
    ),
    withDisplay(
      budget(
        'full session ≥ 1.2× global fetch req/s sequentially',
        session?.ratios?.seqVsFetch,
        1.2,
        session?.status,
      ),
      session?.ratios &&
        `${fmtRatio(session.ratios.seqVsFetch)} in steady state; ` +
          `the first second of a fresh process ${fmtRatio(session.ratios.seqFirstVsFetch)}`,
    ),
  ];

  const warm = await warmup({ base, quick, log, clients: CLIENTS, main: opts });

  const notes = CLIENTS.filter((c) => c.note).map((c) => `- ${c.id}: ${c.note}`);
  const markdown = [
    `GET of a 27-byte JSON body from a keep-alive HTTP/1.1 server on 127.0.0.1 in its own process; every client in a fresh process; ` +
      `${opts.rounds} round(s) alternating the order, median of rounds. In each process: ${opts.warmupMs} ms warm-up, ` +
      `${opts.seqMs} ms sequential ("first s": a short-lived process, while Node is still compiling the client's hot code), ` +
      `${opts.steadyWarmupMs} ms more unmeasured, ${opts.seqMs} ms sequential again (steady state: the "seq" columns, and the goal), ` +
      `then ${opts.concMs} ms at concurrency ${opts.concurrency}. Every body is read in full. ` +
      `"÷ fetch" = this row's req/s divided by global fetch's in the same run (higher is faster). ` +
      '"client CPU µs/req" (next to each req/s) = the client process\'s CPU time (user + system) per request, steadier than req/s when the machine is busy; ' +
      '"CPU ÷ fetch" = that divided by global fetch\'s (lower is cheaper).',
    '',
    table(head, body),
    '',
    ...notes,
    '',
    budgetLines(budgets),
    ...(warm ? ['', warm.markdown] : []),
  ].join('\n');
  return {
    title: 'Loopback throughput and latency',
    markdown,
    data: { options: opts, rows, budgets, warmup: warm?.data },
  };
}

/** The clients of the warm-up table: global fetch, the transport alone and the session. */
const WARMUP_CLIENTS = ['global fetch', 'fetchstack transport', 'fetchstack session'];

/**
 * Sequential req/s of a fresh process, window by window from its first request: the table above
 * measures its sequential stretch while Node is still compiling the client's hot code (on
 * background threads that share the two cores with the server), so this shows how far each
 * client is from its own steady state there. Reported, never a budget.
 */
async function warmup({ base, quick, log, clients, main }) {
  const ids = WARMUP_CLIENTS.filter((id) => clients.some((c) => c.id === id));
  if (ids.length < 2) return undefined;
  const opts = quick
    ? { windows: 6, windowMs: 250, rounds: 1 }
    : { windows: 8, windowMs: 500, rounds: 3 };
  const runs = new Map(ids.map((id) => [id, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const id of round % 2 ? [...ids].reverse() : ids) {
      log(`throughput warm-up round ${round + 1}/${opts.rounds}: ${id}`);
      try {
        const result = await runJson([worker, id, base, JSON.stringify(opts)]);
        if (result.windows) runs.get(id).push(result.windows);
        else log(`throughput warm-up: ${id} skipped: ${result.skip ?? 'no result'}`);
      } catch (error) {
        log(`throughput warm-up: ${id} failed: ${error.message.slice(0, 200)}`);
      }
    }
  }
  const perWindow = (id, key) =>
    Array.from({ length: opts.windows }, (_, w) => median(runs.get(id).map((r) => r[w][key])));
  const data = Object.fromEntries(
    ids
      .filter((id) => runs.get(id).length > 0)
      .map((id) => [id, { rps: perWindow(id, 'rps'), cpuUsPerReq: perWindow(id, 'cpuUsPerReq') }]),
  );
  const s = opts.windowMs / 1000;
  const head = [
    'client',
    ...Array.from(
      { length: opts.windows },
      (_, w) => `${+(w * s).toFixed(2)}-${+((w + 1) * s).toFixed(2)} s`,
    ),
  ];
  const body = Object.entries(data).map(([id, d]) => [
    id,
    ...d.rps.map((rps, w) => `${fmt(rps, 0)} (${fmt(d.cpuUsPerReq[w], 0)})`),
  ]);
  const fetchRps = data['global fetch']?.rps;
  const ratios = Object.entries(data)
    .filter(([id]) => id !== 'global fetch' && fetchRps)
    .map(
      ([id, d]) => `${id} ${d.rps.map((rps, w) => fmtRatio(ratio(rps, fetchRps[w]))).join(', ')}`,
    );
  const markdown = [
    `Warm-up: sequential req/s of a fresh process by window of ${opts.windowMs} ms from its first request ` +
      `(the client's CPU µs per request in brackets), ${opts.rounds} round(s), medians per window. ` +
      `The table above measures its "first s" column from ${main.warmupMs / 1000} to ${(main.warmupMs + main.seqMs) / 1000} s of such a process, ` +
      `and its steady "seq" columns from ${(main.warmupMs + main.seqMs + main.steadyWarmupMs) / 1000} to ${(main.warmupMs + 2 * main.seqMs + main.steadyWarmupMs) / 1000} s.`,
    '',
    table(head, body),
    '',
    ...(ratios.length ? [`÷ global fetch, window by window: ${ratios.join('; ')}.`] : []),
  ].join('\n');
  return { markdown, data: { options: opts, clients: data } };
}

/** A budget whose figure reads `display` (when given) instead of the bare ratio. */
function withDisplay(b, display) {
  return b.value === undefined || !display ? b : { ...b, display };
}

export function budget(name, value, limit, status, { atMost = false } = {}) {
  if (value === undefined || value === null || Number.isNaN(value))
    return { name, status: status ?? 'not measured', met: null };
  const met = atMost ? value <= limit : value >= limit;
  return { name, value, limit, met, status: met ? 'met' : 'MISSED' };
}

/** What a budget measured, for a reader: its own display string, else the ratio. */
export function figureOf(b) {
  if (b.display) return b.display;
  return typeof b.value === 'number' ? `${b.value.toFixed(2)}×` : '';
}

export function budgetLines(budgets) {
  return budgets
    .map((b) => {
      const figure = figureOf(b);
      return `- budget: ${b.name}: **${b.status}**${figure ? ` (measured ${figure})` : ''}`;
    })
    .join('\n');
}
