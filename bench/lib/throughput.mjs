// Section 1: loopback throughput and latency, every client in its own fresh process,
// rounds alternating the order of clients, the median of the rounds reported.
import { fileURLToPath } from 'node:url';
import { CLIENTS as ALL_CLIENTS } from './clients.mjs';
import { runJson } from './spawn.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';

const worker = fileURLToPath(new URL('./throughput-worker.mjs', import.meta.url));

export async function throughput({ base, quick, log, clients: filter }) {
  const opts = quick
    ? { warmupMs: 100, seqMs: 250, concMs: 250, concurrency: 32, rounds: 1 }
    : { warmupMs: 400, seqMs: 1000, concMs: 1000, concurrency: 32, rounds: 3 };
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
    budget(
      'full session ≥ 1.2× global fetch req/s sequentially',
      session?.ratios?.seqVsFetch,
      1.2,
      session?.status,
    ),
  ];

  const notes = CLIENTS.filter((c) => c.note).map((c) => `- ${c.id}: ${c.note}`);
  const markdown = [
    `GET of a 27-byte JSON body from a keep-alive HTTP/1.1 server on 127.0.0.1 in its own process; every client in a fresh process; ` +
      `${opts.rounds} round(s) alternating the order, median of rounds; each round ${opts.warmupMs} ms warm-up, ` +
      `${opts.seqMs} ms sequential, ${opts.concMs} ms at concurrency ${opts.concurrency}. Every body is read in full. ` +
      `"÷ fetch" = this row's req/s divided by global fetch's in the same run (higher is faster). ` +
      '"client CPU µs/req" (next to each req/s) = the client process\'s CPU time (user + system) per request, steadier than req/s when the machine is busy; ' +
      '"CPU ÷ fetch" = that divided by global fetch\'s (lower is cheaper).',
    '',
    table(head, body),
    '',
    ...notes,
    '',
    budgetLines(budgets),
  ].join('\n');
  return {
    title: 'Loopback throughput and latency',
    markdown,
    data: { options: opts, rows, budgets },
  };
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
